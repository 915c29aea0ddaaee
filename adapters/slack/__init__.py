"""The Slack adapter: slack-bolt AsyncApp glue (app) and pure payload/Block Kit converters (convert)."""
