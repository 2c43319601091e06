// The "Keychain locked or unavailable" banner of the Overview and Credentials pages: shown when the
// OS keychain is Unavailable, or has not answered for more than a moment, with a Retry button.
#pragma once

#include <QElapsedTimer>
#include <QFrame>

class QLabel;
class QPushButton;
class QTimer;

namespace quarry::gateway {
class GatewayController;
}

namespace quarry::ui {

class KeychainBanner : public QFrame
{
    Q_OBJECT
public:
    explicit KeychainBanner(gateway::GatewayController *gateway, QWidget *parent = nullptr);

    QString text() const; // empty while hidden
    QPushButton *retryButton() const { return m_retry; }

    // A keychain that answers within this long (an unlock prompt being typed into) is not
    // reported: the banner would only flash.
    static constexpr int kPatienceMs = 1500;

Q_SIGNALS:
    void visibilityChanged(bool shown);

private:
    void onStateChanged();
    void update();

    gateway::GatewayController *m_gateway;
    QLabel *m_text;
    QPushButton *m_retry;
    QTimer *m_patience;
    QElapsedTimer m_waiting; // valid while the keychain is Waiting
};

} // namespace quarry::ui
