// Longest-common-subsequence line diff: manifests are a few hundred lines at most, so the
// quadratic table is small, and the output is the shortest edit a reader expects.
#include "config/UnifiedDiff.h"

#include <QList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::config {

namespace {

struct Edit
{
    char op; // ' ', '-', '+'
    QString line;
};

QList<Edit> edits(const QStringList &from, const QStringList &to)
{
    const qsizetype n = from.size();
    const qsizetype m = to.size();
    // lcs[i][j]: the common subsequence length of from[i..] and to[j..].
    QList<QList<int>> lcs(n + 1, QList<int>(m + 1, 0));
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j)
            lcs[i][j] = from[i] == to[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    QList<Edit> out;
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && from[i] == to[j]) {
            out.append({' ', from[i]});
            ++i;
            ++j;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            out.append({'-', from[i++]}); // removals first, as diff -u prints them
        } else {
            out.append({'+', to[j++]});
        }
    }
    return out;
}

// "@@ -start,count +start,count @@" with diff's convention for empty ranges (start before them).
QString rangeOf(qsizetype start, qsizetype count)
{
    return u"%1,%2"_s.arg(count == 0 ? start : start + 1).arg(count);
}

} // namespace

QString unifiedDiff(const QStringList &from, const QStringList &to, const QString &fromName,
                    const QString &toName, int context)
{
    const QList<Edit> all = edits(from, to);
    QString out;
    qsizetype index = 0;
    qsizetype fromLine = 0; // lines of each side before all[index]
    qsizetype toLine = 0;
    while (index < all.size()) {
        // The next change, and the hunk around it: changes closer than 2*context lines merge.
        qsizetype change = index;
        while (change < all.size() && all[change].op == ' ')
            ++change;
        if (change == all.size())
            break;
        const qsizetype begin = std::max(index, change - context);
        fromLine += begin - index; // the unchanged lines skipped before the hunk
        toLine += begin - index;
        qsizetype end = change;
        qsizetype unchangedRun = 0;
        while (end < all.size() && unchangedRun <= 2 * context) {
            unchangedRun = all[end].op == ' ' ? unchangedRun + 1 : 0;
            ++end;
        }
        end -= std::max<qsizetype>(0, unchangedRun - context); // keep `context` lines after the last change
        qsizetype fromCount = 0;
        qsizetype toCount = 0;
        QString body;
        for (qsizetype k = begin; k < end; ++k) {
            fromCount += all[k].op != '+';
            toCount += all[k].op != '-';
            body += QChar::fromLatin1(all[k].op) + all[k].line + u'\n';
        }
        if (out.isEmpty())
            out = u"--- "_s + fromName + u"\n+++ "_s + toName + u'\n';
        out +=
            u"@@ -"_s + rangeOf(fromLine, fromCount) + u" +"_s + rangeOf(toLine, toCount) + u" @@\n"_s + body;
        fromLine += fromCount;
        toLine += toCount;
        index = end;
    }
    return out;
}

} // namespace quarry::config
