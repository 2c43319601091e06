// Splits Markdown into prose and fenced code blocks, so code blocks can get their own frame
// (monospace, a Copy button) while the prose goes to QTextDocument::setMarkdown.
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace quarry::ui {

struct MarkdownBlock
{
    enum class Kind { Prose, Code };
    Kind kind = Kind::Prose;
    QString text;       // prose as Markdown; code exactly as written between the fences
    QString language;   // the fence's info string's first word ("cpp"), code only
    bool closed = true; // false for a code block still streaming (its closing fence not seen yet)

    bool operator==(const MarkdownBlock &) const = default;
};

// CommonMark fences: ``` or ~~~ (three or more), indented at most three spaces, closed by a fence
// of the same character at least as long. An unclosed fence runs to the end of the text.
QList<MarkdownBlock> splitMarkdown(QStringView markdown);

} // namespace quarry::ui
