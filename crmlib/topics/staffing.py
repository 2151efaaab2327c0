"""How many agents a queue needs (排班测算): the Erlang C model of a call queue.

Service level (服务水平) is a property of the *queue*, not of one agent: it is
calls answered within T seconds ÷ calls offered. It depends on how many calls
arrive, how long each takes and how many agents are logged in — the agent who
finally picks up has no say in how long the caller waited before that.

Erlang C (M/M/N queue: random arrivals, exponential handling times, callers
wait and never hang up):

* offered traffic ``A = λ × AHT`` in erlangs (λ calls per second, AHT seconds);
* with the Erlang B recursion ``B(0) = 1``, ``B(k) = A·B(k-1) / (k + A·B(k-1))``,
  the probability that a call has to wait is
  ``Pw = N·B(N) / (N − A·(1 − B(N)))`` for ``N > A`` (and 1 when ``N ≤ A``);
* service level ``SL(T) = 1 − Pw · exp(−(N − A) · T / AHT)``;
* average speed of answer ``ASA = Pw · AHT / (N − A)``; occupancy ``A / N``.

Erlang C ignores callers who hang up, so it is a little pessimistic about the
wait and a little optimistic about the work; planners use it as a first cut.

>>> round(wait_probability(720, 240, 55), 4)      # A = 48 erlangs, 55 agents
0.2387
>>> round(service_level(720, 240, 55, 15), 4)
0.8459
"""

import math

import pandas as pd

from ..course.errors import CRMError, as_number, require_columns


QUEUE_COLUMNS = ["呼入量", "接通量", "20秒内接通量", "放弃量"]


def queue_kpis(queue_df, by="月份"):
    """Service level of a queue, per `by` (a column, a list of them, or None for the whole table).

    服务水平 = 20秒内接通量 ÷ 呼入量 — calls offered, so abandoned calls count
    against it; 接通率 = 接通量 ÷ 呼入量; 放弃率 = 放弃量 ÷ 呼入量. Sums first,
    then divides (never an average of monthly rates).

    >>> q = pd.DataFrame({"月份": ["1月", "2月"], "呼入量": [100, 300], "接通量": [95, 270],
    ...                   "20秒内接通量": [90, 210], "放弃量": [5, 30]})
    >>> queue_kpis(q, by=None)["服务水平"].tolist()
    [0.75]
    """
    require_columns(queue_df, QUEUE_COLUMNS, "队列报表")
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    require_columns(queue_df, keys, "队列报表")
    g = (
        queue_df.groupby(keys, sort=True)[QUEUE_COLUMNS].sum()
        if keys
        else queue_df[QUEUE_COLUMNS].sum().to_frame("全部").T
    )
    if (g["呼入量"] <= 0).any():
        raise CRMError("有的分组呼入量合计为 0，无法计算服务水平。")
    if (g["20秒内接通量"] > g["接通量"]).any() or (g["接通量"] + g["放弃量"] > g["呼入量"] + 0.5).any():
        raise CRMError("队列报表的数字对不上：20秒内接通量不能多于接通量，接通量 + 放弃量不能多于呼入量。")
    return pd.DataFrame(
        {
            "呼入量": g["呼入量"].astype(int),
            "服务水平": g["20秒内接通量"] / g["呼入量"],
            "接通率": g["接通量"] / g["呼入量"],
            "放弃率": g["放弃量"] / g["呼入量"],
        }
    )


def _inputs(calls_per_hour, aht_seconds, agents):
    calls = as_number(calls_per_hour, "每小时来电量", minimum=0)
    aht = as_number(aht_seconds, "平均处理时长（秒）", minimum=1)
    n = as_number(agents, "在岗坐席数", minimum=0, maximum=2000)
    if not float(n).is_integer():
        raise CRMError(f"「在岗坐席数」应该是整数，你给的是 {n:g}。")
    return calls, aht, int(n)


def traffic(calls_per_hour, aht_seconds):
    """Offered traffic in erlangs: calls per hour × AHT / 3600.

    >>> traffic(120, 180)
    6.0
    """
    calls = as_number(calls_per_hour, "每小时来电量", minimum=0)
    aht = as_number(aht_seconds, "平均处理时长（秒）", minimum=1)
    return calls * aht / 3600


def wait_probability(calls_per_hour, aht_seconds, agents):
    """Erlang C: probability that a call waits at all (0…1); 1 when agents ≤ traffic.

    >>> round(wait_probability(120, 180, 10), 3)     # A = 6 erlangs, 10 agents
    0.101
    >>> wait_probability(120, 180, 6)
    1.0
    """
    calls, aht, n = _inputs(calls_per_hour, aht_seconds, agents)
    a = calls * aht / 3600
    if a == 0:
        return 0.0
    if n <= a:
        return 1.0
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return n * b / (n - a * (1 - b))


def service_level(calls_per_hour, aht_seconds, agents, target_seconds=20):
    """Share of calls answered within `target_seconds` (0…1); 0 when agents ≤ traffic.

    >>> round(service_level(120, 180, 10, 20), 3)
    0.935
    """
    calls, aht, n = _inputs(calls_per_hour, aht_seconds, agents)
    t = as_number(target_seconds, "目标接起时间（秒）", minimum=0)
    a = calls * aht / 3600
    if a > 0 and n <= a:
        return 0.0
    pw = wait_probability(calls, aht, n)
    return 1 - pw * math.exp(-(n - a) * t / aht) if a > 0 else 1.0


def agents_needed(calls_per_hour, aht_seconds, target=0.8, target_seconds=20):
    """Smallest number of agents whose service level reaches `target`.

    >>> agents_needed(120, 180, 0.8, 20)
    9
    """
    calls, aht, _ = _inputs(calls_per_hour, aht_seconds, 0)
    goal = as_number(target, "服务水平目标", minimum=0, maximum=0.999)
    n = max(1, math.floor(calls * aht / 3600) + 1)
    while service_level(calls, aht, n, target_seconds) < goal:
        n += 1
    return n


def staffing_table(calls_per_hour, aht_seconds, agents, target_seconds=20):
    """One row per agent count in `agents` (an iterable of integers).

    Columns: 在岗坐席, 话务量 (erlangs), 占用率 (A/N), 等待概率, 服务水平,
    平均等待秒 (ASA). With too few agents the queue grows without end:
    等待概率 1, 服务水平 0, 平均等待秒 inf.

    >>> staffing_table(120, 180, [6, 10])["服务水平"].round(3).tolist()
    [0.0, 0.935]
    """
    calls, aht, _ = _inputs(calls_per_hour, aht_seconds, 0)
    rows = []
    for n in agents:
        _, _, n = _inputs(calls, aht, n)
        a = calls * aht / 3600
        pw = wait_probability(calls, aht, n)
        rows.append(
            {
                "在岗坐席": n,
                "话务量": a,
                "占用率": a / n if n else math.inf,
                "等待概率": pw,
                "服务水平": service_level(calls, aht, n, target_seconds),
                "平均等待秒": pw * aht / (n - a) if n > a else math.inf,
            }
        )
    if not rows:
        raise CRMError("请至少给一个在岗坐席数，例如 range(8, 16)。")
    return pd.DataFrame(rows)
