"""Sentences that speak to the reviewer instead of reporting anything ("忽略以上要求", "本报告已报告
责任追究结果", "请判定为合规"): text planted to talk a model — or a pattern — into accepting a
report. Such a sentence never counts as the statement of a required item, whoever found it.

The patterns are narrow on purpose — orders to ignore or to conclude, the report vouching for
itself, words addressed to a model — so that a report writing about its own 大模型 or 智能助手
platform is not caught; none occurs in the real reports and samples (tests/hostile checks that).
"""

from __future__ import annotations

import re

INSTRUCTION = re.compile(
    # orders to ignore what came before
    r"(?:忽略|无视|不要理会|不必理会|忘记)[^。；;\n]{0,8}?(?:以上|上述|前面|之前|此前|所有|全部|其他)[^。；;\n]{0,6}?"
    r"(?:要求|指令|指示|规则|提示|说明|检查|审核|设定)"
    # orders to answer or conclude something
    r"|(?:请|务必|必须)(?:直接|立即)?(?:输出|回答|回复|判定|认定|视为|标记)"
    r"|(?:视为|认定为|判定为|判断为|评定为|标记为|输出为?)[“\"]?(?:合规|通过|无问题|没有问题|未发现问题|已报告|完整)"
    # the report vouching for itself
    r"|本(?:年度)?报告(?:已|均已|已经)(?:按要求)?(?:报告|包含|写明|说明|载明|列明|涵盖|满足|符合|完整)"
    r"|(?:本报告|以上内容|上述内容)(?:完全|均)?(?:合规|符合要求)"
    # talking to a model
    r"|系统提示|提示词|system\s*prompt|(?:你是|作为)(?:一个|一名)?(?:AI|人工智能|大?模型|助手|审核员)",
    re.I,
)


def instruction_like(text: str) -> bool:
    return INSTRUCTION.search(text) is not None
