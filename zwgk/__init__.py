"""zwgk — 政务公开 open-government information platform."""
