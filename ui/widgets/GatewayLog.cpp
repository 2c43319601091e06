// The window's log pane: what serve would print, bounded.
#include "widgets/GatewayLog.h"

#include "gateway/GatewayController.h"
#include "telemetry/TrafficRecord.h"
#include "util/EscapeControl.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

GatewayLog::GatewayLog(gateway::GatewayController *gateway, QWidget *parent) : QWidget(parent)
{
    m_view = new QPlainTextEdit(this);
    m_view->setReadOnly(true);
    m_view->setAccessibleName(u"Gateway log"_s);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap); // one request, one line, as in a terminal
    m_view->setMaximumBlockCount(MaxLines);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setPlaceholderText(u"What `quarry serve` prints appears here: a line per request, and the "
                               "gateway's notices."_s);
    auto *clear = new QPushButton(u"C&lear log"_s, this);
    clear->setAccessibleName(u"Clear log"_s);
    connect(clear, &QPushButton::clicked, m_view, &QPlainTextEdit::clear);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    if (!gateway)
        return;
    using State = gateway::GatewayController::State;
    connect(gateway, &gateway::GatewayController::trafficRecorded, this,
            [this](const telemetry::TrafficRecord &record) { append(record.toLogLine()); });
    connect(gateway, &gateway::GatewayController::notice, this, &GatewayLog::appendStamped);
    connect(gateway, &gateway::GatewayController::budgetAlert, this, [this](const telemetry::BudgetAlert &alert) {
        appendStamped((alert.exceeded() ? u"budget spent: "_s : u"budget warning: "_s) + alert.text());
    });
    const auto showState = [this, gateway](State state) {
        QString line;
        if (state == State::Running)
            line = u"listening on http://%1"_s.arg(gateway->address());
        else if (state == State::Stopped)
            line = u"stopped"_s;
        else if (state == State::Failed)
            line = u"could not start: "_s + gateway->lastError();
        // The state read below and a queued report of the same start may both arrive; a failure
        // is written each time, since each is an attempt of the user's.
        if (line.isEmpty() || (state == State::Running && line == m_lastStateLine))
            return;
        m_lastStateLine = line;
        appendStamped(line);
    };
    connect(gateway, &gateway::GatewayController::stateChanged, this, showState);
    // The app starts the gateway before it builds the window: a start that already happened is
    // shown too.
    if (const State now = gateway->state(); now != State::Stopped)
        showState(now);
}

QSize GatewayLog::sizeHint() const
{
    return {QWidget::sizeHint().width(), minimumSizeHint().height()};
}

QString GatewayLog::text() const
{
    return m_view->toPlainText();
}

void GatewayLog::append(const QString &line)
{
    // Follows the end unless the user scrolled up to read. Written through a cursor of its own, not
    // the view's: moving the view's cursor to the end of a long line would scroll the line starts
    // (the times) out of sight.
    QScrollBar *down = m_view->verticalScrollBar();
    const bool atEnd = down->value() == down->maximum();
    QTextCursor end(m_view->document());
    end.movePosition(QTextCursor::End);
    if (!m_view->document()->isEmpty())
        end.insertBlock();
    end.insertText(line);
    if (atEnd)
        down->setValue(down->maximum());
}

void GatewayLog::appendStamped(const QString &message)
{
    // The gateway's own lines quote config and client text: escaped, as serve escapes them.
    append(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) + u' ' + util::escapeControl(message));
}

} // namespace quarry::ui
