"""Webhook pushes for every platform, signed or forged, mutated, posted to a live listener and judged."""
