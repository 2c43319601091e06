// The gateway's log, live in the window, as `quarry serve` prints it: a line per request (the same
// text), the gateway's notices and budget warnings, and its starts, stops and failures.
#pragma once

#include <QWidget>

class QPlainTextEdit;

namespace quarry::gateway {
class GatewayController;
}

namespace quarry::ui {

class GatewayLog : public QWidget
{
    Q_OBJECT
public:
    // The oldest lines go first past this; history (the Traffic page) keeps every request.
    static constexpr int MaxLines = 2000;

    explicit GatewayLog(gateway::GatewayController *gateway, QWidget *parent = nullptr);

    QString text() const;
    void append(const QString &line);
    // As tall as its minimum: a page grows the log into the height it has left. The text edit's own
    // hint (about ten lines) counted in full wherever a word-wrapped label made the page's height
    // depend on its width, and pushed what came after the log off a 900-pixel window.
    QSize sizeHint() const override;

private:
    void appendStamped(const QString &message); // a line of the gateway's own, with serve's time stamp

    QPlainTextEdit *m_view = nullptr;
    QString m_lastStateLine; // the gateway's state, as last written
};

} // namespace quarry::ui
