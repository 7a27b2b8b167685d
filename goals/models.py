"""The models of goals, by sub-domain: the strategy and its evidence, the programme, measures. Django finds them here."""

from goals.strategy.models import *  # noqa: F401,F403
from goals.programme.models import *  # noqa: F401,F403
from goals.measures.models import *  # noqa: F401,F403
