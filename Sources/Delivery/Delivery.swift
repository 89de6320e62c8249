// Push (issue 10).
