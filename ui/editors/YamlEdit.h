// The resource editor's YAML pane: a plain-text editor with YAML colours (YamlHighlighter),
// field-name completion from the CRD schema (YamlCompleter), and the current error underlined at
// the line of the field it names, with the message as the line's tooltip.
#pragma once

#include "config/Resources.h"

#include <QPlainTextEdit>

namespace quarry::ui {

class YamlCompleter;
class YamlHighlighter;

class YamlEdit : public QPlainTextEdit
{
    Q_OBJECT
public:
    YamlEdit(config::ResourceKind kind, QWidget *parent = nullptr);

    YamlHighlighter *highlighter() const { return m_highlighter; }
    YamlCompleter *completer() const { return m_completer; }

    // Underlines the line `message` is about: the field path in it (its deepest written ancestor
    // when the field itself is missing), else a "line N" it names. Nothing when it names neither.
    void markError(const QString &message);
    void clearError() { markError({}); }
    int errorLine() const { return m_errorLine; } // 0-based; -1 when nothing is underlined
    QString errorMessage() const { return m_errorMessage; }

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    void updateMark();

    YamlHighlighter *m_highlighter;
    YamlCompleter *m_completer;
    QString m_errorMessage;
    int m_errorLine = -1;
};

} // namespace quarry::ui
