from cyclefree.settings import CLIP_MAX


def clip_sessions(df):
    return df.assign(sessions=df["sessions"].clip(upper=CLIP_MAX))
