"""The head-office hub: platform webhooks for every store, the counters' relay feed, uploads and the office page."""
