# A fixture for the runner's own test: the setup throws, so no test runs.
BeforeAll { throw 'setup failed on purpose' }
Describe 'Fixture' {
    It 'never runs' { 1 | Should -Be 1 }
}
