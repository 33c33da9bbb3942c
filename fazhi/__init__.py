"""fazhi (法治): ledgers, statutory deadlines and annual reports for grassroots governments."""
