"""The API's step of the daily scheduler, named in ``settings.SCHEDULER_MORE_STEPS``: the
scheduler (``isa_portal``, a layer below) runs it without importing this app."""

from isa_portal.scheduler import Step

from .services import api_tokens_retire_expired

RETIRE_EXPIRED_TOKENS = Step("api_tokens", "Expired API clients' accounts closed", api_tokens_retire_expired)
