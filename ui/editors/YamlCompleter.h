// Completion of field names in the YAML pane: at a key's place, the properties the CRD schema
// allows there (CrdFields), found from the lines above by indentation (YamlOutline). The popup
// opens as a key is typed, or on Ctrl+Space.
#pragma once

#include "config/Resources.h"

#include <QObject>

class QCompleter;
class QKeyEvent;
class QPlainTextEdit;

namespace quarry::ui {

class YamlCompleter : public QObject
{
    Q_OBJECT
public:
    YamlCompleter(config::ResourceKind kind, QPlainTextEdit *editor);

    QCompleter *completer() const { return m_completer; }
    // The field names allowed where the cursor is; empty when the cursor is not at a key's place
    // (after a colon, in a value) or the schema has none there.
    QStringList fieldsAtCursor() const;
    // Shows the popup for the word being typed; hides it when nothing fits.
    void complete();

    // Called by the editor: before it handles a key (true when the popup took it) and after.
    bool keyPressing(QKeyEvent *event);
    void keyPressed(QKeyEvent *event);

private:
    // Start of the word the cursor is in, when that word is at a key's place; -1 otherwise.
    int keyWordStart() const;
    void insert(const QString &field);

    config::ResourceKind m_kind;
    QPlainTextEdit *m_editor;
    QCompleter *m_completer;
};

} // namespace quarry::ui
