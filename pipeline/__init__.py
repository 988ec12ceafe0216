"""claimscan."""
