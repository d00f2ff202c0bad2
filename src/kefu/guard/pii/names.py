"""Person names from context cues (no NER model runs offline): "my name is …", "Mr/Ms/Dr …", "Dear …",
"我叫…", "姓名：…", "收件人…", "王伟先生". Chinese names are a known surname plus one or two given-name
characters; English names are one to three name-shaped words after a cue."""

from __future__ import annotations

import re

from kefu.guard.pii.first_names import FIRST_NAMES
from kefu.guard.pii.types import PERSON, PiiSpan

_SURNAMES_1 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾"
    "夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申"
    "欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟"
    "邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_SURNAMES_2 = [
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "令狐",
    "宇文",
    "司徒",
    "夏侯",
    "轩辕",
    "端木",
    "独孤",
    "南宫",
    "西门",
    "百里",
    "呼延",
    "万俟",
    "闻人",
    "澹台",
    "申屠",
    "太史",
]
# characters that end a name rather than continue it ("我是王伟的妈妈", "我叫李娜，")
_NOT_GIVEN = set(
    "的了在是要想买你我他她它啊吗呢吧和与跟从说请帮也都很不没有这那个们会去来到给把被让对向用就还已"
    "，。！？、；：,.!?;: "
)
_ZH_TITLE = re.compile(r"先生|女士|小姐|老师|医生|经理|同学|总")
_ZH_NAME = rf"(?:{'|'.join(_SURNAMES_2)}|[{_SURNAMES_1}])[\u4e00-\u9fff]{{1,2}}"
_ZH_STRONG_CUE = re.compile(
    r"(?:我叫|名字(?:是|叫)?|姓名(?:是|为)?|联系人(?:是|为)?|收件人(?:是|为)?|收货人(?:是|为)?|持卡人(?:是|为)?|"
    r"户名(?:是|为)?|本人|签名)[:：\s]*"
)
_ZH_WEAK_CUE = re.compile(r"(?:我是|我姓|找|转告|麻烦|给)[:：\s]*")
_ZH_NAME_RE = re.compile(_ZH_NAME)
_ZH_TITLED = re.compile(rf"({_ZH_NAME})(?=先生|女士|小姐|老师|医生|经理|同学)")

_NAME_WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")
_EN_CUE = re.compile(
    r"\b(?:my name is|my name's|name is|name[:：]|i am|i'm|this is|call me|signed|regards,|sincerely,|"
    r"dear|cheers,|thanks,|ask for|speak (?:to|with)|talk to|hi,?|hello,?|hey,?)\s+",
    re.IGNORECASE,
)
_EN_TITLE = re.compile(
    r"\b(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|mme|mlle|herr|frau|señor|señora)\b\.?\s+",
    re.IGNORECASE,
)
_EN_LOWER_OK = re.compile(r"\b(?:my name is|my name's|name is|name[:：]|signed)\s+$", re.IGNORECASE)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "not",
        "here",
        "there",
        "looking",
        "trying",
        "going",
        "very",
        "so",
        "just",
        "calling",
        "writing",
        "sorry",
        "happy",
        "glad",
        "fine",
        "good",
        "ok",
        "okay",
        "sure",
        "still",
        "also",
        "really",
        "from",
        "at",
        "in",
        "on",
        "to",
        "and",
        "or",
        "but",
        "with",
        "for",
        "of",
        "about",
        "your",
        "you",
        "my",
        "me",
        "i",
        "we",
        "they",
        "it",
        "this",
        "that",
        "these",
        "those",
        "order",
        "orders",
        "card",
        "phone",
        "email",
        "address",
        "help",
        "new",
        "customer",
        "member",
        "vip",
        "interested",
        "unable",
        "able",
        "waiting",
        "wondering",
        "hoping",
        "asking",
        "checking",
        "contacting",
        "reaching",
        "following",
        "yes",
        "no",
        "please",
        "thank",
        "thanks",
        "hi",
        "hello",
        "world",
        "guys",
        "folks",
        "there",
        "hey",
        "dear",
        "team",
        "support",
        "service",
        "all",
        "everyone",
        "sir",
        "madam",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "tomorrow",
        "yesterday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_SUFFIX = re.compile(r"\s+(?:Jr\.?|Sr\.?|II|III|IV|MD|PhD|DDS|Esq\.?)(?![A-Za-z])")


def person_names(text: str) -> list[PiiSpan]:
    return _chinese(text) + _english(text)


def _chinese(text: str) -> list[PiiSpan]:
    found: list[PiiSpan] = []
    for cue, weak in ((_ZH_STRONG_CUE, False), (_ZH_WEAK_CUE, True)):
        for m in cue.finditer(text):
            name = _ZH_NAME_RE.match(text, m.end())
            if name is None:
                continue
            end = name.end()
            title = _ZH_TITLE.search(text, name.start() + 1, end + 2)
            if title is not None and title.start() < end:
                end = title.start()
            while end > name.start() + 2 and text[end - 1] in _NOT_GIVEN:
                end -= 1
            if end - name.start() < 2 or text[name.start() + 1] in _NOT_GIVEN:
                continue
            if text[end - 1] in _NOT_GIVEN:
                end -= 1
                if end - name.start() < 2:
                    continue
            if (
                weak
                and end < len(text)
                and not re.match(r"[\s，。！？,.!?；;、的]|$|先生|女士|小姐", text[end:])
            ):
                continue  # "我是高级会员" is no name
            found.append(PiiSpan(PERSON, name.start(), end))
    for m in _ZH_TITLED.finditer(text):
        if text[m.start() + 1] not in _NOT_GIVEN and text[m.end() - 1] not in _NOT_GIVEN:
            found.append(PiiSpan(PERSON, m.start(), m.end()))
    return found


_CAPITALIZED = re.compile(r"(?<![\w@.])([A-Z][a-z]+)[ \t]+(?=[A-Z][^\W\d_])")


def _english(text: str) -> list[PiiSpan]:
    found: list[PiiSpan] = []
    for m in _CAPITALIZED.finditer(text):
        if m.group(1) in FIRST_NAMES:
            span = _name_words(text, m.end(), lower_ok=False, max_words=2)
            if span is not None:
                found.append(PiiSpan(PERSON, m.start(), span[1]))
    for pattern, titled in ((_EN_CUE, False), (_EN_TITLE, True)):
        for m in pattern.finditer(text):
            lower_ok = titled or _EN_LOWER_OK.search(text, 0, m.end()) is not None
            span = _name_words(text, m.end(), lower_ok, max_words=3 if not titled else 2)
            if span is not None:
                found.append(PiiSpan(PERSON, *span))
    return found


def _name_words(text: str, start: int, lower_ok: bool, max_words: int) -> tuple[int, int] | None:
    end, position, count = start, start, 0
    while count < max_words:
        m = _NAME_WORD.match(text, position)
        if m is None or m.group().lower() in _STOP or len(m.group()) < 2:
            break
        if not lower_ok and not m.group()[0].isupper():
            break
        end, count = m.end(), count + 1
        gap = re.match(r"[ \t]+", text[end:])
        if gap is None:
            break
        position = end + gap.end()
    if count == 0:
        return None
    suffix = _SUFFIX.match(text, end)
    return start, suffix.end() if suffix else end
