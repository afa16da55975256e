using KubeSecurity.Core.Credentials;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Secrets;

/// <summary>Reading a Secret's values as the API server would: strict base64, line-broken base64, stringData, redacted stand-ins, bad input.</summary>
public class SecretDataTests
{
    private static KubeObject Secret(string data) => Assert.Single(Rbac.RbacFixtures.FromYaml($"---\napiVersion: v1\nkind: Secret\nmetadata: {{name: s, namespace: a}}\n{data}\n").OfKind("Secret"));

    [Theory]
    [InlineData("data: {k: aGVsbG8gd29ybGQ=}")]
    [InlineData("data:\n  k: |\n    aGVsbG8g\n    d29ybGQ=")]
    [InlineData("stringData: {k: hello world}")]
    public void Values_decode_whether_base64_is_strict_line_broken_or_given_as_string_data(string data)
    {
        Assert.True(SecretData.TryRead(Secret(data), "k", out byte[] value, out bool redacted, out string? problem));
        Assert.Equal("hello world", System.Text.Encoding.UTF8.GetString(value));
        Assert.False(redacted);
        Assert.Null(problem);
    }

    [Fact]
    public void A_redacted_stand_in_is_reported_as_redacted_and_bad_base64_as_a_problem()
    {
        string standIn = RedactedValue.Format("secret"u8);
        Assert.False(SecretData.TryRead(Secret($"data: {{k: \"{standIn}\"}}"), "k", out _, out bool redacted, out string? problem));
        Assert.True(redacted);
        Assert.Null(problem);

        Assert.False(SecretData.TryRead(Secret("data: {k: \"not*base64\"}"), "k", out _, out redacted, out problem));
        Assert.False(redacted);
        Assert.Equal("data.k is not valid base64", problem);
    }
}
