"""EU carbon border adjustment mechanism (CBAM): embedded emissions, certificates, exchange formats."""
