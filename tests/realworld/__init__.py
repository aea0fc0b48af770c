"""Worksheets shaped as Paser's agencies really make them, with the expected fate of every row."""
