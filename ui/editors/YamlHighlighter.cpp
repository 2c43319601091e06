// YAML colouring for the resource editor (see YamlHighlighter.h).
#include "editors/YamlHighlighter.h"

#include <QEvent>
#include <QPlainTextEdit>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

// A block state >= 0 is the indentation of the `key: |` whose block text the line may be.
constexpr int kNoBlock = -1;

int leadingSpaces(const QString &text)
{
    int count = 0;
    while (count < text.size() && text.at(count) == u' ')
        ++count;
    return count;
}

// Where a comment starts: a '#' at the line's start or after a space, outside quotes; -1 if none.
int commentStart(const QString &text)
{
    QChar quote;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'"' || c == u'\'') {
            quote = c;
        } else if (c == u'#' && (i == 0 || text.at(i - 1).isSpace())) {
            return i;
        }
    }
    return -1;
}

// Hue (0-359) at a lightness that reads on the background: darker tones on light backgrounds,
// lighter ones on dark backgrounds.
QColor tone(int hue, const QColor &background)
{
    const bool dark = background.lightnessF() < 0.5;
    return QColor::fromHsl(hue, dark ? 150 : 200, dark ? 175 : 85);
}

} // namespace

YamlHighlighter::YamlHighlighter(QPlainTextEdit *editor)
    : QSyntaxHighlighter(editor->document()), m_editor(editor)
{
    updateFormats();
    editor->installEventFilter(this);
}

QTextCharFormat YamlHighlighter::format(Role role) const
{
    return m_formats[static_cast<int>(role)];
}

bool YamlHighlighter::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::PaletteChange) {
        updateFormats();
        rehighlight();
    }
    return QSyntaxHighlighter::eventFilter(watched, event);
}

void YamlHighlighter::updateFormats()
{
    const QPalette palette = m_editor->palette();
    const QColor background = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    auto make = [](const QColor &color, bool bold = false) {
        QTextCharFormat format;
        format.setForeground(color);
        if (bold)
            format.setFontWeight(QFont::Bold);
        return format;
    };
    m_formats[static_cast<int>(Role::Key)] = make(tone(210, background));
    m_formats[static_cast<int>(Role::String)] = make(tone(120, background));
    m_formats[static_cast<int>(Role::Number)] = make(tone(25, background));
    m_formats[static_cast<int>(Role::Boolean)] = make(tone(285, background));
    // Comments: halfway between the text and the background, so they recede but stay legible.
    QColor comment = text;
    comment.setRgbF((text.redF() * 3 + background.redF() * 2) / 5,
                    (text.greenF() * 3 + background.greenF() * 2) / 5,
                    (text.blueF() * 3 + background.blueF() * 2) / 5);
    QTextCharFormat commentFormat = make(comment);
    commentFormat.setFontItalic(true);
    m_formats[static_cast<int>(Role::Comment)] = commentFormat;
    m_formats[static_cast<int>(Role::Separator)] = make(text, true);
}

void YamlHighlighter::highlightBlock(const QString &text)
{
    setCurrentBlockState(kNoBlock);
    const int indent = leadingSpaces(text);
    const int blockIndent = previousBlockState();
    if (blockIndent != kNoBlock && (text.trimmed().isEmpty() || indent > blockIndent)) {
        setFormat(0, text.size(), format(Role::String)); // the text of a `key: |` block
        setCurrentBlockState(blockIndent);
        return;
    }
    if (text.startsWith(u"---"_s) || text.startsWith(u"..."_s)) {
        setFormat(0, 3, format(Role::Separator));
        return;
    }
    const int comment = commentStart(text);
    const int end = comment >= 0 ? comment : text.size();
    if (comment >= 0)
        setFormat(comment, text.size() - comment, format(Role::Comment));

    int pos = indent;
    while (pos < end && text.at(pos) == u'-' && (pos + 1 == end || text.at(pos + 1) == u' '))
        pos = leadingSpaces(text.mid(pos + 1)) + pos + 1; // list item dashes keep the text colour
    static const QRegularExpression kKey(u"\\G(\"[^\"]*\"|'[^']*'|[^\\s:#\"'][^\\s:]*)\\s*:(?=\\s|$)"_s);
    const auto key = kKey.match(QStringView(text).left(end), pos);
    if (key.hasMatch()) {
        setFormat(pos, key.capturedLength(1), format(Role::Key));
        pos = key.capturedEnd();
        const QString value = text.mid(pos, end - pos).trimmed();
        if (value.startsWith(u'|') || value.startsWith(u'>')) {
            setCurrentBlockState(indent);
            return;
        }
    }
    highlightScalar(text, pos, end);
}

void YamlHighlighter::highlightScalar(const QString &text, int start, int end)
{
    while (start < end && text.at(start).isSpace())
        ++start;
    while (end > start && text.at(end - 1).isSpace())
        --end;
    if (start >= end)
        return;
    const QString value = text.mid(start, end - start);
    // YAML 1.2 core schema, as the parser resolves plain scalars.
    static const QRegularExpression kNumber(
        u"^[-+]?(\\d+(\\.\\d*)?([eE][-+]?\\d+)?|\\.\\d+([eE][-+]?\\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\\.inf|\\.nan)$"_s);
    static const QRegularExpression kBoolean(u"^(true|false|True|False|TRUE|FALSE|null|Null|NULL|~)$"_s);
    Role role = Role::String;
    if (kBoolean.match(value).hasMatch())
        role = Role::Boolean;
    else if (kNumber.match(value).hasMatch())
        role = Role::Number;
    else if (value.startsWith(u'{') || value.startsWith(u'['))
        return; // flow collections keep the text colour
    setFormat(start, end - start, format(role));
}

} // namespace quarry::ui
