// The window's status line.
#include "StatusLine.h"

#include "GatewayStatus.h"
#include "CountText.h"
#include "telemetry/UsdText.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace quarry::ui {

StatusLine::StatusLine(GatewayStatus *status, QWidget *parent)
    : QWidget(parent)
    , m_status(status)
    , m_dot(new QLabel(this))
    , m_listener(new QLabel(this))
    , m_mode(new QLabel(this))
    , m_traffic(new QLabel(this))
    , m_budget(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 0);
    layout->addWidget(m_dot);
    layout->addWidget(m_listener);
    layout->addWidget(m_mode);
    layout->addStretch(1);
    layout->addWidget(m_budget);
    layout->addWidget(m_traffic);
    m_budget->setObjectName(u"budgetWarning"_s);
    m_mode->setObjectName(u"gatewayMode"_s);
    m_mode->setStyleSheet(u"QLabel { font-weight: bold; }"_s);
    // One line, squeezed (never widening the window) when space is short; the tooltip has it all.
    m_budget->setMinimumWidth(1);
    m_listener->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(status, &GatewayStatus::changed, this, &StatusLine::update);
    update();
}

QString StatusLine::text() const
{
    QString line = m_listener->text();
    if (!m_mode->isHidden())
        line += u" \u00b7 "_s + m_mode->text();
    line += u" \u00b7 "_s + m_traffic->text();
    if (!m_budget->isHidden())
        line += u" \u00b7 "_s + m_budget->text();
    return line;
}

void StatusLine::update()
{
    // Colour is a hint only; the words say the same for screen readers and colour-blind users.
    const bool running = m_status->running();
    m_dot->setText(u"\u25cf"_s);
    m_dot->setStyleSheet(running ? u"QLabel { color: #2e7d32; }"_s : u"QLabel { color: #9e9e9e; }"_s);
    m_listener->setText(u"Listener %1 \u2014 %2"_s.arg(m_status->address(), m_status->stateText()));
    const QString mode = m_status->modeText();
    m_mode->setVisible(!mode.isEmpty());
    m_mode->setText(mode);
    m_mode->setToolTip(mode == u"Simulator"_s
                           ? u"At least one backend is answered by the built-in simulator (no credentials): "
                             u"answers are made up and cost nothing."_s
                           : u"Requests go to Amazon Bedrock."_s);
    const QLocale locale;
    QString traffic = u"Today: %1 \u00b7 tokens in %2 / out %3 \u00b7 cost %4"_s.arg(
        countText(m_status->requestsToday(), u"request"_s, u"requests"_s), locale.toString(m_status->tokensInToday()),
        locale.toString(m_status->tokensOutToday()), telemetry::usdText(m_status->costToday()));
    // Unpriced requests are not in the total: say so rather than show a sum that looks complete.
    if (m_status->unpricedToday() > 0)
        traffic += u" (+%1 unpriced)"_s.arg(locale.toString(m_status->unpricedToday()));
    m_traffic->setText(traffic);
    const QString warning = m_status->budgetWarning();
    m_budget->setVisible(!warning.isEmpty());
    m_budget->setText(u"\u26a0 "_s + m_status->budgetHeadline());
    m_budget->setToolTip(warning);
    m_budget->setStyleSheet(m_status->budgetExceeded() ? u"QLabel { color: #c62828; font-weight: bold; }"_s
                                                       : u"QLabel { color: #e65100; }"_s);
    setAccessibleName(u"Gateway status"_s);
    setAccessibleDescription(text());
}

} // namespace quarry::ui
