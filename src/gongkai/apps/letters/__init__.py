"""Letters to applicants (reply letters and notices) generated from templates the office adjusts."""
