"""The emergency detector of the input rail: every kind in both languages, and the hard negatives."""

from __future__ import annotations

import time
import unicodedata

import pytest

from kefu.guard.emergency import KINDS, EmergencyMatch, detect_emergency, explain_emergency

POSITIVES: list[tuple[str, str, str]] = [
    # (kind, lang, message)
    ("cardiac", "zh", "胸口剧痛"),
    ("cardiac", "zh", "心口疼得厉害喘不上气"),
    ("cardiac", "zh", "我爸可能心梗了"),
    ("cardiac", "zh", "胸口巨痛，出冷汗"),
    ("cardiac", "en", "crushing chest pain"),
    ("cardiac", "en", "I think I'm having a heart attack"),
    ("cardiac", "en", "i think im haveing a hart attack"),
    ("stroke", "zh", "我妈口眼歪斜"),
    ("stroke", "zh", "爷爷半边身子动不了"),
    ("stroke", "zh", "他说话不清楚突然就这样了"),
    ("stroke", "en", "her face is drooping"),
    ("stroke", "en", "he can't move one side of his body"),
    ("stroke", "en", "slurred speech all of a sudden"),
    ("bleeding", "zh", "血止不住"),
    ("bleeding", "zh", "产后大出血"),
    ("bleeding", "en", "the bleeding won't stop"),
    ("bleeding", "en", "I'm bleeding heavily"),
    ("poisoning", "zh", "孩子误吃了药"),
    ("poisoning", "zh", "我妈吃了一整瓶安眠药"),
    ("poisoning", "zh", "我爸喝了农药"),
    ("poisoning", "zh", "好像煤气中毒了"),
    ("poisoning", "zh", "宝宝吞了电池"),
    ("poisoning", "en", "my toddler swallowed bleach"),
    ("poisoning", "en", "I think it's an overdose"),
    ("poisoning", "en", "I took too many pills"),
    ("poisoning", "en", "my son swallowed a battery"),
    ("self_harm", "zh", "我不想活了"),
    ("self_harm", "zh", "想自杀"),
    ("self_harm", "zh", "活着没意思"),
    ("self_harm", "zh", "想割腕"),
    ("self_harm", "zh", "我想跳楼"),
    ("self_harm", "en", "I want to kill myself"),
    ("self_harm", "en", "I want to end it all"),
    ("self_harm", "en", "thinking about suicide"),
    ("self_harm", "en", "I'm going to hurt myself"),
    ("self_harm", "en", "kms"),
    ("violence", "zh", "有人要杀我"),
    ("violence", "zh", "他在打我"),
    ("violence", "zh", "老公家暴我"),
    ("violence", "zh", "有人拿刀"),
    ("violence", "en", "someone is breaking in"),
    ("violence", "en", "he's going to hurt me"),
    ("violence", "en", "there's a man with a gun"),
    ("breathing", "zh", "呼吸困难"),
    ("breathing", "zh", "喘不上气"),
    ("breathing", "zh", "孩子噎住了"),
    ("breathing", "zh", "感觉要窒息了"),
    ("breathing", "en", "I can't breathe"),
    ("breathing", "en", "my baby is choking"),
    ("unconscious", "zh", "我爸昏迷了"),
    ("unconscious", "zh", "奶奶叫不醒"),
    ("unconscious", "zh", "孩子抽搐不停"),
    ("unconscious", "en", "passed out and won't wake up"),
    ("unconscious", "en", "the seizure won't stop"),
    ("other", "zh", "喉咙肿了"),
    ("other", "zh", "过敏休克"),
    ("other", "en", "my throat is swelling"),
    ("other", "en", "anaphylaxis"),
    # indirect and colloquial wordings added with the second pattern round
    ("self_harm", "zh", "我想跟这个世界告别了"),
    ("self_harm", "zh", "安眠药我已经攒够了"),
    ("self_harm", "zh", "真想永远睡过去"),
    ("self_harm", "zh", "我在楼顶上，不想下去了"),
    ("self_harm", "zh", "我又划自己了"),
    ("self_harm", "en", "i'm going to end it tonight"),
    ("self_harm", "en", "this is the last message you'll get from me"),
    ("self_harm", "en", "i bought a rope and i'll use it tonight"),
    ("self_harm", "en", "i want to sleep and never wake up"),
    ("self_harm", "en", "she doesn't want to be alive anymore"),
    ("self_harm", "en", "gonna kill mysefl"),
    ("self_harm", "en", "been cutting again"),
    ("violence", "zh", "楼下邻居又在打老婆"),
    ("violence", "zh", "一个陌生男的一路跟着我"),
    ("violence", "zh", "商场里有人见人就砍"),
    ("violence", "zh", "隔壁有人一直在喊救命"),
    ("violence", "en", "a man pulled a gun on my son"),
    ("violence", "en", "there's an active shooter at work"),
    ("violence", "en", "two armed men are in the parking lot"),
    ("violence", "en", "someone is climbing in through the kitchen window"),
    ("violence", "en", "he threatened that he'd kill her"),
    ("stroke", "zh", "我爸突然看不清东西了"),
    ("stroke", "zh", "外公一边手脚发软"),
    ("stroke", "en", "worst headache of her life, it came on in seconds"),
    ("stroke", "en", "his words are all jumbled"),
    ("stroke", "en", "her right leg just gave out"),
    ("cardiac", "zh", "我妈摸不到脉搏了"),
    ("cardiac", "zh", "我爸胸口疼，满头大汗"),
    ("cardiac", "en", "it feels like something is squeezing my chest"),
    ("cardiac", "en", "i can't find a pulse"),
    ("bleeding", "zh", "伤口的血按都按不住"),
    ("bleeding", "zh", "我妈刚吐了一大口血"),
    ("bleeding", "zh", "手指头被门夹断了"),
    ("bleeding", "en", "the cut won't quit bleeding"),
    ("bleeding", "en", "his leg is pouring blood"),
    ("bleeding", "en", "my dad is coughing up blood"),
    ("bleeding", "en", "she has soaked through three towels"),
    ("poisoning", "zh", "爷爷把农药当成饮料喝了"),
    ("poisoning", "zh", "厨房漏气了，我头晕想吐"),
    ("poisoning", "zh", "吃了野生菌，现在看到小人"),
    ("poisoning", "en", "my baby chewed on a laundry pod"),
    ("poisoning", "en", "he took a handful of xanax"),
    ("poisoning", "en", "my son drank kerosene"),
    ("breathing", "zh", "孩子被果冻卡住了"),
    ("breathing", "zh", "我气都接不上了"),
    ("breathing", "en", "he's choking on a candy and can't talk"),
    ("unconscious", "zh", "有个老人躺在路边一动不动"),
    ("unconscious", "zh", "孩子突然翻白眼"),
    ("unconscious", "en", "she's having a fit and it's been five minutes"),
    ("unconscious", "en", "a man is lying in the road not moving"),
    ("other", "zh", "被马蜂蜇了，脸肿得厉害"),
    ("other", "zh", "工人的手被搅拌机绞伤了"),
    ("other", "en", "my husband's hand got caught in the conveyor"),
    ("other", "en", "his thumb got cut off"),
    # third round: more wordings, traditional characters, pinyin, stems that run on ("sweating")
    ("self_harm", "zh", "bu xiang huo le"),
    ("self_harm", "zh", "我想结束自己"),
    ("self_harm", "zh", "遗书已经写好了"),
    ("self_harm", "en", "my brother tried to hang himself"),
    ("self_harm", "en", "i can't do this anymore. tonight is it"),
    ("violence", "zh", "家里进贼了，我躲在衣柜里"),
    ("violence", "zh", "他说要跟我同归于尽"),
    ("violence", "en", "someone broke into the shop and they're still inside"),
    ("violence", "en", "i'm getting beaten up"),
    ("violence", "en", "a man is waving a gun at people"),
    ("stroke", "zh", "在线等 我妈突然讲不出话"),
    ("stroke", "zh", "他右边身子不会动了"),
    ("stroke", "en", "grandpa is talking nonsense"),
    ("cardiac", "zh", "救命，我心口好痛"),
    ("cardiac", "en", "chest pain and sweating"),
    ("cardiac", "en", "my chest feels heavy and i'm dizzy"),
    ("bleeding", "zh", "他头上全是血"),
    ("bleeding", "zh", "孕妇肚子疼还在出血"),
    ("breathing", "zh", "老人喘不动气了"),
    ("unconscious", "zh", "我爸突然倒下了"),
    ("unconscious", "zh", "孩子嘴里一直吐白沫"),
    ("other", "zh", "奶奶从楼梯上滚下来了"),
    ("other", "en", "her lips are swollen and she is wheezing"),
    ("other", "en", "the baby rolled off the sofa and is very sleepy"),
]

NEGATIVES: list[str] = [
    # benign medical questions
    "高血压该吃什么药",
    "感冒发烧怎么办",
    "胸痛挂什么科？",
    "心梗有什么前兆",
    "what are the signs of a stroke?",
    "how much ibuprofen can I take",
    "my chest hurts a little after exercise, is that normal",
    "what should I do if someone is choking?",
    # figurative speech
    "this price is killing me",
    "我快被你们气死了",
    "笑死我了",
    "I could die of embarrassment",
    "this game is to die for",
    "累死了",
    "热死了",
    "饿死了",
    "这价格让我窒息",
    "you almost gave me a heart attack",
    "my mom is going to kill me if it's late",
    "lol I can't breathe 😂",
    # product, retail, finance, education
    "the knife I ordered arrived broken",
    "农药喷雾器 how much",
    "first aid kit in stock?",
    "is this a choking hazard?",
    "跳楼价清仓",
    "双十一商家大出血",
    "紫砂壶多少钱",
    "快递员一直在打我电话",
    "重疾险包括心梗吗",
    "does my policy cover suicide",
    "自杀预防主题的论文",
    # past events
    "my grandfather had a stroke last year, can I book a checkup",
    "我爸去年心梗做了支架",
    # negations
    "我没有想自杀，只是心情不好",
    "not suicidal, just tired",
    "没有呼吸困难",
    "I don't want to kill myself, I'm just annoyed",
    # hard negatives of the second pattern round
    "气得我吐血",
    "这价格真是吐血推荐",
    "我再也不在你们家买了",
    "这是我最后一次在你们家买东西",
    "i want to end my subscription tonight",
    "I'm going to end it with him, he cheated",
    "On my end everything looks fine",
    "My card got trapped inside an ATM",
    "do not wake me up tomorrow",
    "the seller won't respond to my messages",
    "this is the last time I order from you",
    "I've been cutting carbs",
    "we watched a movie about a shooter",
    "喘不上气和焦虑有关系吗",
    "游泳圈会不会漏气导致溺水",
    "how do I use an epipen correctly?",
    "轮胎漏气了怎么补",
    "早上总是睡不醒怎么办",
    "打呵欠也接不上气，和胃胀有关吗",
    "压力压得我喘不过气",
    "xiang si ni le",
    "I think we should end it here, the deal is off",
    "the burglar alarm keeps beeping, how do I reset it",
    "i want to kill this subscription",
]


@pytest.mark.parametrize(("kind", "lang", "text"), POSITIVES)
def test_emergencies_are_detected_with_their_kind(kind: str, lang: str, text: str) -> None:
    match = detect_emergency(text)
    assert match is not None, text
    assert (match.kind, match.lang) == (kind, lang)
    assert match.evidence and match.evidence in unicodedata.normalize("NFKC", text).lower().replace("’", "'")


def test_every_kind_is_covered_in_both_languages() -> None:
    assert {(kind, lang) for kind, lang, _ in POSITIVES} == {
        (k, lang) for k in KINDS for lang in ("zh", "en")
    }


@pytest.mark.parametrize("text", NEGATIVES)
def test_hard_negatives_are_not_emergencies(text: str) -> None:
    assert detect_emergency(text) is None, explain_emergency(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我胸口剧痛，喘不上气", "cardiac"),  # the first kind in the order wins
        ("my son swallowed a battery and is choking", "poisoning"),
        ("he's choking me", "violence"),
        ("有人拿刀要杀我", "violence"),
    ],
)
def test_the_most_specific_kind_wins(text: str, kind: str) -> None:
    match = detect_emergency(text)
    assert match is not None and match.kind == kind


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("我没有想自杀", "negation"),
        ("not suicidal", "negation"),
        ("胸痛挂什么科", None),  # no pattern at all: 胸痛 alone is not severe
        ("呼吸困难挂什么科", "informational"),
        ("my grandfather had a stroke last year", "past"),
        ("重疾险包括心梗吗", "topic"),
        ("紫砂壶", "safe"),
        ("有点喘不上气", "mild"),
        ("孩子吃饭老是噎着", "habitual"),
        ("中风的前兆有哪些，我爸突然口眼歪斜", "emergency"),  # the symptom is in its own clause
        ("我爸突然口眼歪斜是中风的前兆吗", "urgent"),  # 突然: happening now, despite the question
        # a narrative of an event already seen to by a doctor: a question, not an emergency
        ("同事突然全身抽动，口吐白沫，医生看了说是癫痫，想知道能预防吗", "narrative"),
        (
            "he collapsed at work and was rushed to hospital, doctors said epilepsy. what diet helps?",
            "narrative",
        ),
        # …unless it is happening again now
        ("医生说是癫痫，现在又口吐白沫叫不醒了", "emergency"),
    ],
)
def test_explain_gives_the_verdict_of_each_candidate(text: str, verdict: str | None) -> None:
    verdicts = [c.verdict for c in explain_emergency(text)]
    if verdict is None:
        assert verdicts == []
    else:
        assert verdict in verdicts
        assert (detect_emergency(text) is not None) == (verdict in ("emergency", "urgent"))


def test_mixed_language_typos_full_width_and_traditional_characters() -> None:
    assert detect_emergency("my dad 突然说话不清楚") == EmergencyMatch("stroke", "zh", "突然说话不清")
    assert detect_emergency("宝宝 choking 了") is not None
    assert detect_emergency("cant breath") is not None
    assert detect_emergency("Ｉ ＣＡＮ’Ｔ ＢＲＥＡＴＨＥ") is not None
    assert detect_emergency("我想自殺") is not None
    assert detect_emergency("在線等 我媽突然講不出話") == EmergencyMatch("stroke", "zh", "突然讲不出话")
    assert detect_emergency("胸口 剧 痛") is not None


def test_no_message_no_emergency() -> None:
    assert detect_emergency("") is None
    assert detect_emergency("   ") is None
    assert explain_emergency("") == []


def test_it_is_fast_enough_for_every_message() -> None:
    detect_emergency("warm-up")
    text = "你好，我上周买的衣服尺码不对，想换一件大一号的，顺便问下什么时候能发货？" * 3
    start = time.perf_counter()
    for _ in range(200):
        detect_emergency(text)
    assert (time.perf_counter() - start) / 200 < 0.005  # well under a millisecond in practice
