"""The client address of the request being handled, for audit events.

Set by :class:`zwgk.audit.middleware.AuditContextMiddleware`; empty in
management commands and jobs, where events carry no address.
"""

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("zwgk_client_ip", default=None)
