"""Customer-service maturity benchmark (Baromètre des KPIs de la Relation Client 2022)."""
