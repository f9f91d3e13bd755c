"""The reference head-office receiver: a separate small program that implements docs/upload-api.yaml."""
