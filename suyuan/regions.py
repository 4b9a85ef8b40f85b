"""GB/T 2260 administrative divisions: the provinces, and the cities the demo uses."""

NATIONAL = "000000"

PROVINCES = {
    "110000": ("北京市", "Beijing"),
    "120000": ("天津市", "Tianjin"),
    "130000": ("河北省", "Hebei"),
    "140000": ("山西省", "Shanxi"),
    "150000": ("内蒙古自治区", "Inner Mongolia"),
    "210000": ("辽宁省", "Liaoning"),
    "220000": ("吉林省", "Jilin"),
    "230000": ("黑龙江省", "Heilongjiang"),
    "310000": ("上海市", "Shanghai"),
    "320000": ("江苏省", "Jiangsu"),
    "330000": ("浙江省", "Zhejiang"),
    "340000": ("安徽省", "Anhui"),
    "350000": ("福建省", "Fujian"),
    "360000": ("江西省", "Jiangxi"),
    "370000": ("山东省", "Shandong"),
    "410000": ("河南省", "Henan"),
    "420000": ("湖北省", "Hubei"),
    "430000": ("湖南省", "Hunan"),
    "440000": ("广东省", "Guangdong"),
    "450000": ("广西壮族自治区", "Guangxi"),
    "460000": ("海南省", "Hainan"),
    "500000": ("重庆市", "Chongqing"),
    "510000": ("四川省", "Sichuan"),
    "520000": ("贵州省", "Guizhou"),
    "530000": ("云南省", "Yunnan"),
    "540000": ("西藏自治区", "Tibet"),
    "610000": ("陕西省", "Shaanxi"),
    "620000": ("甘肃省", "Gansu"),
    "630000": ("青海省", "Qinghai"),
    "640000": ("宁夏回族自治区", "Ningxia"),
    "650000": ("新疆维吾尔自治区", "Xinjiang"),
    "710000": ("台湾省", "Taiwan"),
    "810000": ("香港特别行政区", "Hong Kong"),
    "820000": ("澳门特别行政区", "Macao"),
}

CITIES = {
    "620100": ("兰州市", "Lanzhou"),
    "620500": ("天水市", "Tianshui"),
    "620800": ("平凉市", "Pingliang"),
    "621000": ("庆阳市", "Qingyang"),
    "310100": ("上海市市辖区", "Shanghai urban districts"),
    "330100": ("杭州市", "Hangzhou"),
    "440100": ("广州市", "Guangzhou"),
}


def region_name(code: str, locale: str = "zh") -> str:
    """A readable name for a region code: the city or province name, else the code itself."""
    if code == NATIONAL:
        return "全国" if locale == "zh" else "National"
    idx = 0 if locale == "zh" else 1
    for table, key in ((CITIES, code[:4] + "00"), (PROVINCES, code[:2] + "0000")):
        if key in table:
            name = table[key][idx]
            return name if key == code else f"{name} ({code})"
    return code
