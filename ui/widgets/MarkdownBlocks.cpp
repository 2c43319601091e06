// Line-by-line scan for code fences; everything else is prose, passed on untouched.
#include "widgets/MarkdownBlocks.h"

#include <optional>

namespace quarry::ui {

namespace {

struct Fence
{
    QChar character;
    qsizetype length = 0;
    QString info;
};

// The fence a line opens (or closes), if it is one.
std::optional<Fence> fenceIn(QStringView line)
{
    qsizetype indent = 0;
    while (indent < line.size() && indent < 4 && line.at(indent) == u' ')
        ++indent;
    if (indent > 3 || indent >= line.size())
        return std::nullopt;
    const QChar character = line.at(indent);
    if (character != u'`' && character != u'~')
        return std::nullopt;
    qsizetype end = indent;
    while (end < line.size() && line.at(end) == character)
        ++end;
    if (end - indent < 3)
        return std::nullopt;
    const QString info = line.mid(end).trimmed().toString();
    if (character == u'`' && info.contains(u'`'))
        return std::nullopt; // CommonMark: a backtick fence's info string has no backticks
    return Fence{character, end - indent, info};
}

} // namespace

QList<MarkdownBlock> splitMarkdown(QStringView markdown)
{
    QList<MarkdownBlock> blocks;
    QString prose;
    QString code;
    std::optional<Fence> open;
    const auto flushProse = [&] {
        if (!prose.trimmed().isEmpty())
            blocks.append({MarkdownBlock::Kind::Prose, prose, {}, true});
        prose.clear();
    };
    qsizetype start = 0;
    while (start <= markdown.size()) {
        qsizetype end = markdown.indexOf(u'\n', start);
        const bool lastLine = end < 0;
        if (lastLine)
            end = markdown.size();
        const QStringView line = markdown.mid(start, end - start);
        if (!open) {
            if (auto fence = fenceIn(line)) {
                flushProse();
                open = fence;
            } else {
                prose += line;
                if (!lastLine)
                    prose += u'\n';
            }
        } else {
            const auto closing = fenceIn(line);
            if (closing && closing->character == open->character && closing->length >= open->length &&
                closing->info.isEmpty()) {
                blocks.append({MarkdownBlock::Kind::Code, code, open->info.section(u' ', 0, 0), true});
                code.clear();
                open.reset();
            } else {
                code += line;
                if (!lastLine)
                    code += u'\n';
            }
        }
        if (lastLine)
            break;
        start = end + 1;
    }
    if (open) {
        blocks.append({MarkdownBlock::Kind::Code, code, open->info.section(u' ', 0, 0), false});
    } else {
        flushProse();
    }
    // A closed block's code ends with the newline before its closing fence; that is not code.
    for (MarkdownBlock &block : blocks) {
        if (block.kind == MarkdownBlock::Kind::Code && block.closed && block.text.endsWith(u'\n'))
            block.text.chop(1);
    }
    return blocks;
}

} // namespace quarry::ui
