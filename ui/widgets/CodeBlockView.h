// A fenced code block in the transcript: monospace, its language, and a Copy button that puts
// exactly the code on the clipboard.
#pragma once

#include <QFrame>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace quarry::ui {

class CodeBlockView : public QFrame
{
    Q_OBJECT
public:
    static constexpr int MaxVisibleLines = 30; // longer blocks scroll inside their frame

    explicit CodeBlockView(QWidget *parent = nullptr);

    void setCode(const QString &code, const QString &language);
    QString code() const { return m_code; }
    void copy();

private:
    void fitHeight();

    QString m_code;
    QLabel *m_language = nullptr;
    QPushButton *m_copy = nullptr;
    QPlainTextEdit *m_view = nullptr;
};

} // namespace quarry::ui
