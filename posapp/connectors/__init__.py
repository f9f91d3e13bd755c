"""One module per platform: verify its signature, parse its order format, push the store's actions back."""
