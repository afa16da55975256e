#!/usr/bin/env python3
"""Writes credential-formats.tsv: synthetic credentials of every detector family in several
embeddings, and negatives of every false-positive class. Deterministic (fixed seeds); run it
again after adding a family or class. Every value is random or made up; none is a real secret."""
import base64, random, string, zlib

R = random.Random(20261205)
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
B64URL = string.ascii_letters + string.digits + "-_"
HEXL = "0123456789abcdef"

def rnd(alphabet, n): return "".join(R.choice(alphabet) for _ in range(n))
def b62(v):
    s = ""
    for _ in range(6): s = B62[v % 62] + s; v //= 62
    return s
def checksummed(prefix):
    body = rnd(B62, 30); return prefix + body + b62(zlib.crc32(body.encode()))
def uuid(): return "-".join(rnd(HEXL, n) for n in (8, 4, 4, 4, 12))

FAMILIES = {
    "GitHub": lambda: R.choice([checksummed("ghp_"), checksummed("gho_"), checksummed("ghs_"), "github_pat_" + rnd(B62, 22) + "_" + rnd(B62, 59)]),
    "GitLab": lambda: R.choice(["glpat-", "gldt-", "glrt-"]) + rnd(B64URL, 20),
    "npm": lambda: checksummed("npm_"),
    "PyPI": lambda: "pypi-AgEIcHlwaS5vcmc" + rnd(B64URL, 70),
    "NuGet": lambda: "oy2" + rnd(string.ascii_lowercase + string.digits, 43),
    "RubyGems": lambda: "rubygems_" + rnd(HEXL, 48),
    "DockerHub": lambda: "dckr_pat_" + rnd(B64URL, 27),
    "Terraform": lambda: rnd(B62, 14) + ".atlasv1." + rnd(B64URL, 67),
    "Bitbucket": lambda: "ATBB" + rnd(B62, 32),
    "Stripe": lambda: R.choice(["sk_live_", "sk_test_", "rk_live_"]) + rnd(B62, R.choice([24, 99])),
    "Square": lambda: R.choice(["sq0atp-" + rnd(B64URL, 22), "sq0csp-" + rnd(B64URL, 43)]),
    "PayPal": lambda: "access_token$production$" + rnd(string.ascii_lowercase + string.digits, 16) + "$" + rnd(HEXL, 32),
    "Slack": lambda: R.choice(["xoxb-" + rnd(string.digits, 12) + "-" + rnd(string.digits, 12) + "-" + rnd(B62, 24),
                               "xoxp-" + rnd(string.digits, 12) + "-" + rnd(string.digits, 12) + "-" + rnd(string.digits, 13) + "-" + rnd(HEXL, 32),
                               R.choice(["https://", "", "HTTPS://"]) + R.choice(["hooks.slack.com", "HOOKS.SLACK.COM"]) + "/services/T" + rnd(string.ascii_uppercase + string.digits, 8) + "/B" + rnd(string.ascii_uppercase + string.digits, 8) + "/" + rnd(B62, 24)]),
    "Teams": lambda: "https://contoso.webhook.office.com/webhookb2/" + uuid() + "@" + uuid() + "/IncomingWebhook/" + rnd(HEXL, 32) + "/" + uuid(),
    "Discord": lambda: "https://discord.com/api/webhooks/" + rnd(string.digits, 18) + "/" + rnd(B64URL, 68),
    "Telegram": lambda: rnd(string.digits, 10) + ":AA" + rnd(B64URL, 33),
    "SendGrid": lambda: "SG." + rnd(B64URL, 22) + "." + rnd(B64URL, 43),
    "Twilio": lambda: "SK" + rnd(HEXL, 32),
    "Mailgun": lambda: "key-" + rnd(HEXL, 32),
    "Mailchimp": lambda: rnd(HEXL, 32) + "-us" + str(R.randint(1, 21)),
    "GCP": lambda: "AIza" + rnd(B64URL, 35),
    "Alibaba": lambda: "LTAI" + rnd(B62, 20),
    "DigitalOcean": lambda: R.choice(["dop_v1_", "doo_v1_"]) + rnd(HEXL, 64),
    "Shopify": lambda: R.choice(["shpat_", "shpss_"]) + rnd(HEXL, 32),
    "Azure": lambda: R.choice(["DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey=" + base64.b64encode(R.randbytes(64)).decode() + ";EndpointSuffix=core.windows.net",
                               "https://shopdata.blob.core.windows.net/orders?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2027-01-01T00:00:00Z&sig=" + base64.b64encode(R.randbytes(32)).decode().replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"),
                               rnd(B62, 3) + str(R.randint(0, 9)) + "Q~" + rnd(B62 + "_~.-", 34)]),
    "NewRelic": lambda: "NRAK-" + rnd(string.ascii_uppercase + string.digits, 27),
    "Sentry": lambda: "sntrys_" + base64.b64encode(R.randbytes(90)).decode().rstrip("="),
    "Grafana": lambda: R.choice(["glc_" + base64.b64encode(R.randbytes(60)).decode().rstrip("="), "glsa_" + rnd(B62, 32) + "_" + rnd(HEXL, 8)]),
    "HuggingFace": lambda: "hf_" + rnd(string.ascii_letters, 34),
    "OpenAI": lambda: R.choice(["sk-proj-" + rnd(B64URL, 120), "sk-" + rnd(B62, 20) + "T3BlbkFJ" + rnd(B62, 20)]),
    "Anthropic": lambda: "sk-ant-api03-" + rnd(B64URL, 93) + "AA",
    "Postman": lambda: "PMAK-" + rnd(HEXL, 24) + "-" + rnd(HEXL, 34),
    "AWS": lambda: R.choice(["AKIA", "ASIA"]) + rnd(string.ascii_uppercase + "234567", 16),
    "PrivateKey": lambda: R.choice([
        "-----BEGIN RSA PRIVATE KEY-----\\n" + base64.b64encode(R.randbytes(48)).decode() + "\\n-----END RSA PRIVATE KEY-----",
        "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjE" + base64.b64encode(R.randbytes(40)).decode() + "\\n-----END OPENSSH PRIVATE KEY-----",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\\n" + base64.b64encode(R.randbytes(48)).decode() + "\\n-----END ENCRYPTED PRIVATE KEY-----",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\\n\\nlQOYBG" + base64.b64encode(R.randbytes(40)).decode() + "\\n-----END PGP PRIVATE KEY BLOCK-----",
        "AGE-SECRET-KEY-1" + rnd("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
        "PuTTY-User-Key-File-3: ssh-ed25519\\nEncryption: none\\nPrivate-Lines: 1\\n" + base64.b64encode(R.randbytes(48)).decode()]),
    "JWT": lambda: "eyJhbGciOiJSUzI1NiIsImtpZCI6I" + rnd(B64URL, 10) + ".eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Ii" + rnd(B64URL, 40) + "." + rnd(B64URL, 86),
    "HttpAuth": lambda: R.choice(["Authorization: Basic " + base64.b64encode(("svc-" + rnd(string.ascii_lowercase, 5) + ":" + rnd(B62, 16)).encode()).decode(),
                                  "curl -sf -u deploy:" + rnd(B62, 18) + " https://registry.example/api",
                                  "Authorization: Bearer " + rnd(B64URL, 40),
                                  "{\"auths\": {\"registry.example\": {\"auth\": \"" + base64.b64encode(("robot:" + rnd(B62, 20)).encode()).decode() + "\"}}}",
                                  "//registry.npmjs.org/:_authToken=" + uuid()]),
    "KubeconfigKey": lambda: "users:\\n- name: admin\\n  user:\\n    client-key-data: " + base64.b64encode(("-----BEGIN EC PRIVATE KEY-----\n" + base64.b64encode(R.randbytes(90)).decode() + "\n-----END EC PRIVATE KEY-----\n").encode()).decode(),
    "Heroku": lambda: "HRKU-AA" + rnd(B64URL, 58),
    "DatabaseUrl": lambda: R.choice(["postgres://app:", "mysql://root:", "mongodb+srv://svc:", "redis://:", "amqp://guest:"]) + rnd(B62, 18) + "@" + R.choice(["db.internal:5432/app", "cluster0.abcde.mongodb.net/orders", "redis-master:6379/0", "rabbitmq:5672/"]),
}

EMBEDDINGS = [
    ("bare", "value", "{}"),
    ("ini", "upstream.ini", "[upstream]\\nhost = api.example.com\\nvalue = {}\\n"),
    ("yaml", "settings.yaml", "service:\\n  endpoint: https://api.example.com\\n  value: {}\\n"),
    ("json", "settings.json", "{{\"service\": {{\"endpoint\": \"https://api.example.com\", \"value\": \"{}\"}}}}"),
    ("args", "args", "--endpoint=https://api.example.com --value={} --verbose"),
    ("xml", "app.config", "<configuration><appSettings><add key=\"Upstream\" value=\"{}\" /></appSettings></configuration>"),
    ("properties", "application.properties", "upstream.host=api.example.com\\nupstream.value={}\\n"),
    ("toml", "config.toml", "[upstream]\\nhost = \"api.example.com\"\\nvalue = \"{}\"\\n"),
    ("env", ".env", "UPSTREAM_HOST=api.example.com\\nUPSTREAM_VALUE={}\\n"),
    ("shell", "entrypoint.sh", "#!/bin/sh\\nexport UPSTREAM_VALUE='{}'\\nexec /app/server\\n"),
    ("go", "main.go", "package main\\n\\nfunc main() {{\\n    value := \"{}\"\\n    _ = value\\n}}\\n"),
]
SINGLE_LINE = ("ini", "json", "args", "xml", "properties", "toml", "env", "shell", "go")

NEGATIVES = {
    "HexDigest": [("checksum/config", rnd(HEXL, 64)), ("GIT_COMMIT", rnd(HEXL, 40)), ("trace-id", rnd(HEXL, 32)), ("etag", "\"" + rnd(HEXL, 32) + "\""),
                  ("package-lock.json", "{\"integrity\": \"sha512-" + base64.b64encode(R.randbytes(64)).decode() + "\"}"), ("build", "sha1:" + rnd(HEXL, 40)),
                  ("CHECKSUM", rnd(HEXL, 64)), ("release.txt", "commit " + rnd(HEXL, 40) + "\\ntree " + rnd(HEXL, 40))],
    "Base64Text": [("motd", base64.b64encode(b"Welcome to the payments cluster. Changes need a ticket.").decode()),
                   ("banner", base64.b64encode(b"Authorized use only; activity is logged and reviewed.").decode()),
                   ("note", base64.b64encode(b"{\"owner\": \"team-payments\", \"tier\": \"critical\"}").decode()),
                   ("description", base64.b64encode(b"Nightly settlement job for card transactions").decode())],
    "PublicKey": [("authorized_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rnd(B62, 43) + " ops@bastion"),
                  ("known_hosts", "github.com ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rnd(B62 + "+/", 120)),
                  ("jwt.pub", "-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + rnd(B62 + "+/", 64) + "\\n-----END PUBLIC KEY-----"),
                  ("jwks.json", "{\"keys\": [{\"kty\": \"RSA\", \"kid\": \"1\", \"n\": \"" + rnd(B64URL, 342) + "\", \"e\": \"AQAB\"}]}"),
                  ("ssh_host_ecdsa_key.pub", "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAI" + rnd(B62 + "+/", 100) + " root@node")],
    "PublishableKey": [("STRIPE_PUBLISHABLE_KEY", "pk_live_" + rnd(B62, 99)), ("checkout.js", "Stripe('pk_test_" + rnd(B62, 99) + "')"), ("publishable", "pk_live_" + rnd(B62, 24))],
    "Reference": [("API_TOKEN_ENV", "API_TOKEN"), ("EXISTING_SECRET", "postgres-auth"), ("passwordKey", "redis-password"), ("DB_PASSWORD_SECRET", "db-credentials"),
                  ("TOKEN_FROM", "GITHUB_TOKEN"), ("existingSecretPasswordKey", "admin-password"), ("secretName", "tls-cert")],
    "XmlSetting": [("app.config", "<appSettings><add key=\"PasswordHashAlgorithm\" value=\"PBKDF2\" /><add key=\"TokenHeader\" value=\"Authorization\" /><add key=\"ApiKeyName\" value=\"X-Api-Key\" /></appSettings>")],
    "Setting": [("TOKEN_HEADER", "Authorization"), ("SECRET_STORE", "vault"), ("PASSWORD_HASH_ALGORITHM", "bcrypt"), ("secret.rotation", "enabled"),
                ("TOKEN_TTL", "3600"), ("AUTH_TYPE", "Bearer"), ("PASSWORD_MIN_LENGTH", "12"), ("TOKEN_AUDIENCE", "https://kubernetes.default.svc"),
                ("API_KEY_HEADER", "X-Api-Key"), ("vault.hashicorp.com/agent-inject-secret-config", "secret/data/payments/config")],
    "Code": [("app.py", "password = get_from_env()"), ("index.js", "const token = process.env.GITHUB_TOKEN;"), ("settings.py", "DB_PASSWORD = os.environ[\"DB_PASSWORD\"]"),
             ("API_TOKEN", "process.env.API_TOKEN"), ("SECRET_KEY", "os.environ.get('SECRET_KEY')")],
    "Template": [("grafana.ini", "[security]\\nadmin_password = $__file{/etc/secrets/admin-password}"), ("DB_PASSWORD", "{{ .Values.db.password }}"),
                 ("PASSWORD", "#{DB_PASSWORD}"), ("SECRET", "${DB_SECRET}"), ("values.yaml", "password: \"{{ required \\\"password\\\" .Values.password }}\"")],
    "PlaceholderWithPrefix": [("AWS_ACCESS_KEY_ID", "AKIAXXXXXXXXXXXXXXXX"), ("GITHUB_TOKEN", "ghs_" + "x" * 36), ("SLACK_TOKEN", "xoxb-12345-abcd234"),
                              ("STRIPE_KEY", "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX"), ("API_KEY", "a" * 32), ("example", "ghp_" + "A" * 36),
                              ("docs", "AKIAIOSFODNN7EXAMPLE"), ("token", "glpat-xxxxxxxxxxxxxxxxxxxx"), ("SENDGRID_API_KEY", "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")],
    "FileSetting": [("application.properties", "spring.datasource.password=${DB_PASSWORD}\\ntoken.expiry=3600\\npassword.min-length=12\\nsecurity.password.encoder=bcrypt"),
                    ("config.toml", "[auth]\\ntoken_header = \"Authorization\"\\npassword_file = \"/run/secrets/db\"\\nsecret_store = \"vault\""),
                    (".env", "DB_PASSWORD_FILE=/run/secrets/db\\nSECRET_NAME=db-credentials\\nAPI_TOKEN_ENV=API_TOKEN"),
                    ("values.yaml", "auth:\\n  existingSecret: postgres-auth\\n  secretKeys:\\n    passwordKey: redis-password\\n  password: \"\""),
                    ("build.env", "CHECKSUM=" + rnd(HEXL, 64) + "\\nGIT_COMMIT=" + rnd(HEXL, 40)),
                    ("datadog.yaml", "site: datadoghq.com\\nlogs_enabled: true\\napm_config:\\n  enabled: true"),
                    ("agent.env", "DD_APP_VERSION=" + rnd(HEXL, 40) + "\\nDD_TRACE_ID=" + rnd(HEXL, 32) + "\\nDD_API_KEY_SECRET_NAME=datadog-secret"),
                    ("HEROKU_APP_ID", uuid()), ("settings.py", "SECRET_KEY = os.environ['SECRET_KEY']\\nDEBUG = False"),
                    ("main.go", "token := os.Getenv(\"TOKEN\")\\npassword := flag.String(\"password\", \"\", \"db password\")")],
    "Uuid": [("request-id", uuid()), ("tenant", uuid()), ("CLIENT_ID", uuid())],
    "ImageDigest": [("image", "registry.example/app@sha256:" + rnd(HEXL, 64)), ("images.txt", "ghcr.io/demo/api@sha256:" + rnd(HEXL, 64) + "\\nghcr.io/demo/web@sha256:" + rnd(HEXL, 64))],
}

lines = ["# family\texpected\tembedding\tkey\tvalue   (synthetic; \\n stands for a newline). Written by make-credential-formats.py."]
for family, make in FAMILIES.items():
    for embedding, key, template in EMBEDDINGS:
        for _ in range(2):
            token = make()
            if family == "PrivateKey" and embedding in SINGLE_LINE:
                continue  # multi-line key material does not sit on one configuration line
            lines.append(f"{family}\t1\t{embedding}\t{key}\t{template.format(token)}")
for _ in range(6):
    lines.append("ConfigFiles\t1\txml\tNuGet.config\t<configuration><packageSourceCredentials><feed><add key=\"Username\" value=\"ci\" /><add key=\"ClearTextPassword\" value=\"" + rnd(B62, 20) + "\" /></feed></packageSourceCredentials></configuration>")
    lines.append("ConfigFiles\t1\tini\t.pypirc\t[pypi]\\nusername = __token__\\npassword = " + rnd(B62, 24))
# Keys without a format of their own, found through a credential-named key on a line of a file.
for _ in range(2):
    lines.append("ConfigFiles\t1\tproperties\tapplication.properties\tspring.datasource.url=jdbc:postgresql://db:5432/app\\nspring.datasource.username=app\\nspring.datasource.password=" + rnd(B62, 20))
    lines.append("ConfigFiles\t1\tproperties\tldap.properties\tldap.url=ldaps://ldap.internal\\nldap.bind.dn=cn=svc,dc=corp\\nldap.bind.pass=" + rnd(B62, 18))
    lines.append("ConfigFiles\t1\tproperties\tbroker.properties\tbroker.host: mq.internal\\nbroker.credentials: " + rnd(B62, 22))
    lines.append("ConfigFiles\t1\ttoml\tconfig.toml\t[database]\\nuser = \"app\"\\npassword = \"" + rnd(B62, 20) + "\"")
    lines.append("ConfigFiles\t1\ttoml\tsso.toml\t[oidc]\\nclient_id = \"shop\"\\nclient_secret = \"" + rnd(B62, 32) + "\"  # rotate yearly")
    lines.append("ConfigFiles\t1\tenv\t.env\tDB_HOST=db\\nDB_PASS=" + rnd(B62, 20) + "\\nDB_NAME=app")
    lines.append("ConfigFiles\t1\tshell\tstart.sh\t#!/bin/sh\\nexport SMTP_AUTH='" + rnd(B62, 20) + "'\\nexec /app/mailer")
    lines.append("ConfigFiles\t1\tgo\tmain.go\tpackage main\\n\\nfunc connect() {\\n    dbPassword := \"" + rnd(B62, 20) + "\"\\n    open(dbPassword)\\n}")
    lines.append("ConfigFiles\t1\tyaml\tusers.yaml\tusers:\\n- name: ci\\n  pass: " + rnd(B62, 20))
# Vendors whose keys have no prefix: recognised by the vendor in the key (or the file) and the exact shape.
for _ in range(2):
    lines.append("Datadog\t1\tbare\tDD_API_KEY\t" + rnd(HEXL, 32))
    lines.append("Datadog\t1\tbare\tDD_APP_KEY\t" + rnd(HEXL, 40))
    lines.append("Datadog\t1\tyaml\tdatadog.yaml\tsite: datadoghq.eu\\napi_key: " + rnd(HEXL, 32) + "\\nlogs_enabled: true")
    lines.append("Datadog\t1\tenv\tagent.env\tDD_SITE=datadoghq.com\\nDD_API_KEY=" + rnd(HEXL, 32) + "\\nDD_ENV=prod")
    lines.append("Datadog\t1\tproperties\tapplication.properties\tdatadog.app-key=" + rnd(HEXL, 40))
    lines.append("Heroku\t1\tbare\tHEROKU_API_KEY\t" + uuid())
    lines.append("Heroku\t1\tenv\tdeploy.env\tHEROKU_APP=shop\\nHEROKU_API_KEY=" + uuid())
# PKCS#12 key stores (RFC 7292: SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data, ... } }), base64, whole or line-wrapped.
def pfx():
    body = bytes([0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01, 0xA0, 0x82, 0x03, 0x00]) + R.randbytes(760)
    auth = bytes([0x30, 0x82]) + len(body).to_bytes(2, "big") + body
    inner = bytes([0x02, 0x01, 0x03]) + auth + R.randbytes(60)
    return base64.b64encode(bytes([0x30, 0x82]) + len(inner).to_bytes(2, "big") + inner).decode()
for _ in range(3):
    lines.append("PKCS12\t1\tbare\tkeystore.p12\t" + pfx())
    wrapped = pfx()
    lines.append("PKCS12\t1\tyaml\tkeystore.yaml\tkeystore: |\\n  " + "\\n  ".join(wrapped[i:i + 76] for i in range(0, len(wrapped), 76)))
# Google Cloud service-account key files, with the private key elided or kept elsewhere.
for _ in range(3):
    sa = "{\"type\": \"service_account\", \"project_id\": \"shop-prod\", \"private_key_id\": \"" + rnd(HEXL, 40) + "\", \"client_email\": \"deployer@shop-prod.iam.gserviceaccount.com\", \"client_id\": \"" + rnd(string.digits, 21) + "\"}"
    lines.append("GCPServiceAccount\t1\tjson\tkey.json\t" + sa)
    lines.append("GCPServiceAccount\t1\tjson\tcredentials.json\t" + sa.replace(", ", ",\\n  ").replace("{", "{\\n  ", 1))
for weak in ["changeme", "admin", "password", "Passw0rd", "letmein"]:
    lines.append(f"WeakDefault\t1\tbare\tDB_PASSWORD\t{weak}")
    lines.append(f"WeakDefault\t1\tenv\tADMIN_PASSWORD\t{weak}")
for cls, items in NEGATIVES.items():
    for key, value in items:
        lines.append(f"{cls}\t0\tbare\t{key}\t{value}")
open("credential-formats.tsv", "w").write("\n".join(lines) + "\n")
print(len(lines) - 1, "rows")
