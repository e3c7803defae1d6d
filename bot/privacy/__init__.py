"""Data protection (issue 7): retention and legal hold, subject access, erasure."""
