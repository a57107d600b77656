"""Administrative reviews and lawsuits about disclosure decisions (table 4)."""
