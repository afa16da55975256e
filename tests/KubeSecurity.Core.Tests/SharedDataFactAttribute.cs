namespace KubeSecurity.Core.Tests;

/// <summary>A fact over ../shared/data: skipped, saying why, on a plain clone where that folder is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (!Directory.Exists(TestPaths.SharedData))
        {
            Skip = $"../shared/data is absent ({TestPaths.SharedData}): this is a plain clone outside the project workspace, so the tests over real-world data cannot run.";
        }
    }
}
