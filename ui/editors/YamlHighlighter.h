// Colours for the YAML pane: keys, strings, numbers, booleans/null, comments and document
// separators. The colours are derived from the editor's palette, so they read on light and dark
// backgrounds alike, and are worked out again when the palette changes (a theme switch).
#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

class QPlainTextEdit;

namespace quarry::ui {

class YamlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    enum class Role { Key, String, Number, Boolean, Comment, Separator };

    // Highlights editor's document; follows editor's palette.
    explicit YamlHighlighter(QPlainTextEdit *editor);

    QTextCharFormat format(Role role) const;

protected:
    void highlightBlock(const QString &text) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateFormats();
    void highlightScalar(const QString &text, int start, int end);

    QPlainTextEdit *m_editor;
    QTextCharFormat m_formats[6];
};

} // namespace quarry::ui
