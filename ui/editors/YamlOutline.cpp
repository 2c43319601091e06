// Line -> field path for the YAML pane, by indentation (see YamlOutline.h).
#include "editors/YamlOutline.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

int leadingSpaces(const QString &line)
{
    int count = 0;
    while (count < line.size() && line.at(count) == u' ')
        ++count;
    return count;
}

// A mapping key and what follows its colon: `name: x`, `"quarry.dev/aws-profile": y`, `spec:`.
const QRegularExpression &keyPattern()
{
    static const QRegularExpression pattern(
        u"^(\"[^\"]*\"|'[^']*'|[^\\s:#\"'][^\\s:]*)\\s*:(?:\\s+(.*))?$"_s);
    return pattern;
}

QString unquoted(const QString &key)
{
    if (key.size() >= 2 && (key.front() == u'"' || key.front() == u'\''))
        return key.mid(1, key.size() - 2);
    return key;
}

} // namespace

YamlOutline::YamlOutline(const QString &text) : m_lines(text.split(u'\n'))
{
    QList<Level> stack;
    int blockIndent = -1;
    m_paths.reserve(m_lines.size());
    for (const QString &line : std::as_const(m_lines))
        m_paths.append(step(stack, line, blockIndent) ? join(stack) : QString());
}

QString YamlOutline::pathAt(int line) const
{
    return line >= 0 && line < m_paths.size() ? m_paths.at(line) : QString();
}

int YamlOutline::lineOf(const QString &path) const
{
    QString wanted = path;
    while (!wanted.isEmpty()) {
        if (const int line = m_paths.indexOf(wanted); line >= 0)
            return line;
        // The field itself is not written (a missing required field): its parent is.
        const int cut = std::max(wanted.lastIndexOf(u'.'), wanted.lastIndexOf(u'['));
        wanted.truncate(std::max(cut, 0));
    }
    return -1;
}

QStringList YamlOutline::parentAt(int line, int column) const
{
    QList<Level> stack;
    int blockIndent = -1;
    for (int i = 0; i < line && i < m_lines.size(); ++i)
        step(stack, m_lines.at(i), blockIndent);
    // The line as it would read with a key typed at the cursor's word: its parent is the answer.
    QString prefix = line < m_lines.size() ? m_lines.at(line).left(column) : QString();
    int wordStart = prefix.size();
    while (wordStart > 0 && !prefix.at(wordStart - 1).isSpace())
        --wordStart;
    prefix.truncate(wordStart);
    blockIndent = -1;
    step(stack, prefix + u"x:"_s, blockIndent);
    QStringList parts;
    for (qsizetype i = 0; i + 1 < stack.size(); ++i)
        parts.append(stack.at(i).item ? u"[]"_s : stack.at(i).part);
    return parts;
}

QStringList YamlOutline::siblingKeys(int line, int column) const
{
    if (line < 0 || line >= m_lines.size())
        return {};
    // Where the key starts: after the indentation and any "- " of the cursor's line.
    const QString current = m_lines.at(line).left(column);
    int indent = leadingSpaces(current);
    while (current.mid(indent).startsWith(u"- "_s))
        indent += 2 + leadingSpaces(current.mid(indent + 2));
    QStringList keys;
    // A line of the same object: the key at `indent`, either alone or right after the "- " that
    // opens the list item the object is.
    const auto visit = [&](const QString &text, bool upwards) {
        const int spaces = leadingSpaces(text);
        const QString content = text.mid(spaces);
        if (content.isEmpty() || content.startsWith(u'#'))
            return true; // blank or comment: go on
        const bool opensItem = content.startsWith(u"- "_s) && spaces + 2 == indent;
        if (spaces < indent && !opensItem)
            return false; // the parent (or beyond)
        if (opensItem && !upwards)
            return false; // the next item of the list
        const QString keyText = opensItem ? content.mid(2).trimmed() : content;
        if (spaces == indent || opensItem) {
            if (const auto key = keyPattern().match(keyText); key.hasMatch())
                keys.append(unquoted(key.captured(1)));
        }
        return !opensItem; // the item's first line is as far up as the object goes
    };
    if (!current.trimmed().startsWith(u"- "_s)) {
        for (int i = line - 1; i >= 0 && visit(m_lines.at(i), true); --i) {
        }
    }
    for (int i = line + 1; i < m_lines.size() && visit(m_lines.at(i), false); ++i) {
    }
    return keys;
}

QString YamlOutline::join(const QList<Level> &stack)
{
    QString path;
    for (const Level &level : stack) {
        if (!level.item && !path.isEmpty())
            path += u'.';
        path += level.part;
    }
    return path;
}

bool YamlOutline::step(QList<Level> &stack, const QString &line, int &blockIndent)
{
    int indent = leadingSpaces(line);
    QString content = line.mid(indent);
    if (blockIndent >= 0) {
        if (content.trimmed().isEmpty() || indent > blockIndent)
            return false; // text of a `key: |` block
        blockIndent = -1;
    }
    if (content.trimmed().isEmpty() || content.startsWith(u'#'))
        return false;
    if (content.startsWith(u"---"_s) || content.startsWith(u"..."_s)) {
        stack.clear();
        return false;
    }
    // "- " items, possibly several on one line ("- - x"); each opens a level two columns in.
    bool dashed = false;
    while (content == u"-"_s || content.startsWith(u"- "_s)) {
        while (!stack.isEmpty() && stack.last().indent > indent)
            stack.removeLast();
        if (!stack.isEmpty() && stack.last().indent == indent && stack.last().item)
            stack.removeLast(); // the next item of the same list
        const int index = stack.isEmpty() ? 0 : stack.last().items++;
        stack.append({indent, u"[%1]"_s.arg(index), true, 0});
        const int skipped = 1 + leadingSpaces(content.mid(1));
        content = content.mid(skipped);
        indent += skipped;
        dashed = true;
        if (content.isEmpty() || content.startsWith(u'#'))
            return true;
    }
    const auto key = keyPattern().match(content);
    if (!key.hasMatch())
        return dashed; // "- value" is the item itself; anything else is a scalar's continuation
    while (!stack.isEmpty() && stack.last().indent >= indent)
        stack.removeLast();
    stack.append({indent, unquoted(key.captured(1)), false, 0});
    const QString value = key.captured(2);
    if (value.startsWith(u'|') || value.startsWith(u'>'))
        blockIndent = indent;
    return true;
}

} // namespace quarry::ui
