using KubeSecurity.Core.Secrets;
using Xunit.Abstractions;
using KubeSecurity.Core.Credentials;

namespace KubeSecurity.Core.Tests.Secrets;

/// <summary>The credential detector on a labelled corpus of synthetic positives and negatives.</summary>
public class CredentialDetectorTests(ITestOutputHelper output)
{
    private static IEnumerable<(bool Expected, string Key, string Value)> Corpus() => CredentialCorpus.Read();

    [Fact]
    public void Precision_and_recall_on_the_corpus_stay_high()
    {
        var detector = new CredentialDetector();
        int truePositives = 0, falsePositives = 0, falseNegatives = 0, trueNegatives = 0;
        var mistakes = new List<string>();
        foreach ((bool expected, string key, string value) in Corpus())
        {
            bool found = detector.Scan(key, value).Count > 0;
            if (found && expected)
            {
                truePositives++;
            }
            else if (found)
            {
                falsePositives++;
                mistakes.Add($"false positive: {key} ({string.Join(",", detector.Scan(key, value).Select(m => m.Detector))})");
            }
            else if (expected)
            {
                falseNegatives++;
                mistakes.Add($"missed: {key}");
            }
            else
            {
                trueNegatives++;
            }
        }

        double precision = (double)truePositives / (truePositives + falsePositives);
        double recall = (double)truePositives / (truePositives + falseNegatives);
        output.WriteLine($"corpus: {truePositives + falseNegatives} positives, {falsePositives + trueNegatives} negatives; precision {precision:P1}, recall {recall:P1}");
        mistakes.ForEach(output.WriteLine);
        Assert.True(precision >= 0.95, $"precision {precision:P1}: {string.Join("; ", mistakes)}");
        Assert.True(recall >= 0.95, $"recall {recall:P1}: {string.Join("; ", mistakes)}");
    }

    [Theory]
    [InlineData("AWS_ACCESS_KEY_ID", "AKIA2E5QJ7WBHXK4R6TN", CredentialDetector.AwsAccessKey)]
    [InlineData("AWS_SECRET_ACCESS_KEY", "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", CredentialDetector.AwsSecretKey)]
    [InlineData("DATABASE_URL", "postgres://app:Pa55w0rd@db/app", CredentialDetector.UrlCredentials)]
    [InlineData("GF_SECURITY_ADMIN_PASSWORD", "demo-admin-Passw0rd", CredentialDetector.CredentialKey)]
    public void Detectors_name_what_they_found(string key, string value, string detector) =>
        Assert.Contains(new CredentialDetector().Scan(key, value), m => m.Detector == detector);

    [Fact]
    public void The_entropy_threshold_is_tunable()
    {
        const string Token = "Zx9Qm2Lk7Rt4Vb8Nc3Hs6Jd1Fg5Wp0Ey";
        Assert.NotEmpty(new CredentialDetector().Scan("blob", Token));
        Assert.Empty(new CredentialDetector { EntropyThreshold = 6.0 }.Scan("blob", Token));
    }
}
