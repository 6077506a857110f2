# Makes tests/ a package, so that its module names cannot clash with other test folders'
# (for example when a bigger test suite collects this folder too).
