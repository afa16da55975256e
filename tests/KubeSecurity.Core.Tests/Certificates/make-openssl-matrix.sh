#!/usr/bin/env bash
# Builds a matrix of certificates with openssl for the cross-check test. Usage: make-openssl-matrix.sh <dir>
set -euo pipefail
out="$1"; mkdir -p "$out"; cd "$out"

key() { # name type
  case "$2" in
    rsa1024) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$1.key" 2>/dev/null ;;
    rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null ;;
    rsa4096) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$1.key" 2>/dev/null ;;
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1.key" ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$1.key" ;;
  esac
}

ca_ext() { printf 'basicConstraints=critical,CA:TRUE%s\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' "$1"; }
leaf_ext() { printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nsubjectAltName=%s\n' "$1"; }

# Root CA, self-signed, RSA 4096, path length 3.
key root rsa4096
openssl req -x509 -new -key root.key -sha256 -days 3650 -subj "/C=DE/O=Matrix Org/OU=Platform/CN=matrix-root" -set_serial 4096 \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:3" -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.crt

# A chain of intermediates: root -> int1 (P-384) -> int2 (RSA 2048) -> int3 (P-256).
parent=root
for spec in "int1 p384 sha384 ,pathlen:2" "int2 rsa2048 sha256 ,pathlen:1" "int3 p256 sha256 ,pathlen:0"; do
  set -- $spec
  key "$1" "$2"
  openssl req -new -key "$1.key" -subj "/O=Matrix Org/CN=matrix-$1" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$parent.crt" -CAkey "$parent.key" -CAcreateserial -days 1825 -"$3" -extfile <(ca_ext "$4") -out "$1.crt" 2>/dev/null
  parent="$1"
done

# Leaves of every key type and both digests, with every SAN type, signed by the chain's end.
san="DNS:app.matrix.example,DNS:*.matrix.example,IP:10.1.2.3,IP:2001:db8::42,URI:spiffe://matrix.example/ns/app/sa/web,email:ops@matrix.example"
# (The SHA-1 leaf is signed by the RSA intermediate, so it is sha1WithRSAEncryption.)
for spec in "leaf-rsa1024 rsa1024 sha256 int3" "leaf-rsa2048-sha1 rsa2048 sha1 int2" "leaf-rsa4096 rsa4096 sha512 int3" "leaf-p256 p256 sha256 int3" "leaf-p384 p384 sha384 int3"; do
  set -- $spec
  key "$1" "$2"
  openssl req -new -key "$1.key" -subj "/O=system:masters/O=Matrix Org/CN=$1" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$4.crt" -CAkey "$4.key" -CAcreateserial -days 397 -"$3" -extfile <(leaf_ext "$san") -out "$1.crt" 2>/dev/null
done

# Ed25519 leaf (no digest option), signed by the root.
key leaf-ed25519 ed25519
openssl req -new -key leaf-ed25519.key -subj "/CN=leaf-ed25519" -out leaf-ed25519.csr
openssl x509 -req -in leaf-ed25519.csr -CA root.crt -CAkey root.key -CAcreateserial -days 30 -extfile <(leaf_ext "DNS:ed.matrix.example") -out leaf-ed25519.crt 2>/dev/null

# Self-signed Ed25519 CA.
openssl req -x509 -new -key leaf-ed25519.key -days 100 -subj "/CN=ed25519-root" -addext "basicConstraints=critical,CA:TRUE" -out ed25519-root.crt

# Expired and not-yet-valid leaves need explicit dates: openssl ca with a minimal database.
mkdir -p ca-db && : > ca-db/index.txt && echo 1000 > ca-db/serial
cat > ca.cnf <<CNF
[ca]
default_ca = matrix
[matrix]
database = ca-db/index.txt
serial = ca-db/serial
new_certs_dir = ca-db
default_md = sha256
policy = anything
copy_extensions = none
unique_subject = no
[anything]
commonName = supplied
CNF
key leaf-dates p256
for spec in "leaf-expired 20200101000000Z 20210101000000Z" "leaf-future 20400101000000Z 20410101000000Z"; do
  set -- $spec
  openssl req -new -key leaf-dates.key -subj "/CN=$1" -out "$1.csr"
  openssl ca -batch -config ca.cnf -cert int2.crt -keyfile int2.key -in "$1.csr" -startdate "$2" -enddate "$3" \
    -extfile <(leaf_ext "DNS:$1.matrix.example") -out "$1.crt" 2>/dev/null
  # openssl ca writes text before the PEM block; keep the certificate only.
  openssl x509 -in "$1.crt" -out "$1.crt"
done

rm -f *.csr *.srl
ls *.crt
