// Export for a cluster: the target (agentgateway, kgateway v2.2 or v2.1), how Secrets are given, an
// optional namespace, a read-only preview of what `quarry export` would write, and Save…/Copy.
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace quarry::ui {

struct UiContext;

class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ExportDialog(UiContext &context, QWidget *parent = nullptr);

    // The pages' "Export…" button: opens the dialog (one at a time, deleted when closed).
    static void open(UiContext &context, QWidget *parent);

    QComboBox *target() const { return m_target; }
    QComboBox *secrets() const { return m_secrets; }
    QLineEdit *ns() const { return m_namespace; }
    QPlainTextEdit *preview() const { return m_preview; }
    QLabel *summary() const { return m_summary; }
    QPushButton *copyButton() const { return m_copy; }

    // Writes the preview to a file (Save… asks for the path first).
    bool saveTo(const QString &path);

private:
    void refresh();
    void save();

    UiContext &m_context;
    QComboBox *m_target = nullptr;
    QComboBox *m_secrets = nullptr;
    QLineEdit *m_namespace = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_copy = nullptr;
};

} // namespace quarry::ui
