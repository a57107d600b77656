"""Reading, checking and writing annual reports (the national format, 国办公开办函〔2021〕30号)."""
