"""Katakana words common in ads, to break a katakana compound wider than the line between its
words (スタート|ダッシュ|キャンペーン) rather than anywhere (スタートダッ|シュ). BudouX keeps such a
compound as one phrase, rightly; this list is only consulted when the phrase must be broken.

A compound is split only when it is made entirely of listed words (longest match first), so an
unknown word is never cut at a guess. Add words freely: one per entry, in katakana.
"""

from __future__ import annotations

import functools

WORDS = frozenset(
    """
    スーパー ハイパー チャレンジ コース クラス スクール ゼミ レッスン セミナー ガイダンス
    スタート ダッシュ キャンペーン セール フェア イベント プレゼント ボーナス ポイント クーポン
    チケット カード プラン ベーシック スタンダード プレミアム アドバンス レベル アップ ダウン
    トップ ベスト ナンバー ワン ラスト チャンス スペシャル フリー トライアル サポート サービス
    システム メソッド プログラム プログラミング ロボット スキル アクティブ ラーニング スピード
    ステップ マスター ゴール テスト チェック ドリル ワーク ブック ノート リスト ファイル
    オンライン ネット ウェブ サイト ホーム ページ フォーム メール アプリ スマホ タブレット
    パソコン ライン ライブ ビデオ ムービー ゲーム カリキュラム ハイブリッド マンツーマン
    グループ ファミリー キッズ ジュニア シニア チューター コーチ カウンセリング サマー
    ウィンター スプリング オータム タイム ルーム センター スペース ストーリー ダブル トリプル
    キャッシュ バック リターン ギフト パック セット メニュー オプション プロ エキスパート
    """.split()
)
_LONGEST = max(map(len, WORDS))


@functools.lru_cache(maxsize=1024)
def katakana_splits(run: str) -> tuple[int, ...]:
    """Offsets inside a katakana run between its words, when the run is made of listed words
    only (longest match first): スタートダッシュキャンペーン -> (4, 8); else ()."""
    cuts, i = [], 0
    while i < len(run):
        for size in range(min(_LONGEST, len(run) - i), 1, -1):
            if run[i : i + size] in WORDS:
                break
        else:
            return ()
        i += size
        cuts.append(i)
    return tuple(cuts[:-1])
