// The keychain banner: follows GatewayController::keychainState().
#include "pages/KeychainBanner.h"

#include "gateway/GatewayController.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

using namespace Qt::StringLiterals;
using KeychainState = quarry::gateway::GatewayController::KeychainState;

namespace quarry::ui {

KeychainBanner::KeychainBanner(gateway::GatewayController *gateway, QWidget *parent)
    : QFrame(parent), m_gateway(gateway), m_text(new QLabel(this)),
      m_retry(new QPushButton(u"Retr&y"_s, this)), m_patience(new QTimer(this))
{
    setObjectName(u"keychainBanner"_s);
    setStyleSheet(u"#keychainBanner { background: #fde7e9; border: 1px solid #c42b1c; border-radius: 4px; }"
                  u"#keychainBanner QLabel { color: #5c0f0a; }"_s);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText); // the problem comes from the keychain, not from us
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setAccessibleName(u"Keychain notice"_s);
    m_retry->setAccessibleName(u"Retry keychain"_s);
    m_retry->setToolTip(u"Ask the OS keychain again (after unlocking it)"_s);
    auto *row = new QHBoxLayout(this);
    row->addWidget(m_text, 1);
    row->addWidget(m_retry);
    m_patience->setSingleShot(true);
    m_patience->setInterval(kPatienceMs);
    connect(m_patience, &QTimer::timeout, this, &KeychainBanner::update);
    connect(m_retry, &QPushButton::clicked, m_gateway, &gateway::GatewayController::retryKeychain);
    connect(m_gateway, &gateway::GatewayController::keychainStateChanged, this,
            &KeychainBanner::onStateChanged);
    hide();
    onStateChanged();
}

QString KeychainBanner::text() const
{
    return isHidden() ? QString() : m_text->text();
}

void KeychainBanner::onStateChanged()
{
    if (m_gateway->keychainState() == KeychainState::Waiting) {
        if (!m_waiting.isValid()) {
            m_waiting.start();
            m_patience->start();
        }
    } else {
        m_waiting.invalidate();
        m_patience->stop();
    }
    update();
}

void KeychainBanner::update()
{
    const KeychainState state = m_gateway->keychainState();
    const bool waitedTooLong =
        state == KeychainState::Waiting && m_waiting.isValid() && m_waiting.elapsed() >= kPatienceMs;
    const bool show = state == KeychainState::Unavailable || waitedTooLong;
    QString problem = m_gateway->keychainProblem();
    if (problem.isEmpty())
        problem = state == KeychainState::Waiting ? u"the OS keychain has not answered yet"_s
                                                  : u"the OS keychain did not answer"_s;
    while (problem.endsWith(u'.'))
        problem.chop(1);
    m_text->setText(u"Keychain locked or unavailable: %1. Backends whose credentials are in the keychain "
                    u"wait for it; unlock it and press Retry."_s.arg(problem));
    const bool changed = isHidden() == show;
    setVisible(show);
    if (changed)
        Q_EMIT visibilityChanged(show);
}

} // namespace quarry::ui
