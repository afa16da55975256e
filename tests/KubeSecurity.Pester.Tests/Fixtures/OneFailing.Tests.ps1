# A fixture for the runner's own test: one passing and one failing test.
Describe 'Fixture' {
    It 'passes' { 1 | Should -Be 1 }
    It 'fails on purpose' { 1 | Should -Be 2 }
}
