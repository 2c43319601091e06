// The Settings page: listener address and port (loopback only), config directory, start at
// login, start minimised to tray, and a word on the theme.
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace quarry::ui {

struct UiContext;

class SettingsPage : public QWidget
{
    Q_OBJECT
public:
    explicit SettingsPage(UiContext &context, QWidget *parent = nullptr);

    // Checks the listener fields; on success saves them and restarts the listener.
    bool applyListener();

private:
    QWidget *buildListenerGroup();
    QWidget *buildConfigGroup();
    QWidget *buildStartupGroup();
    QWidget *buildAppearanceGroup();
    void loadListener();
    void setAutostart(bool on);

    UiContext &m_context;
    QLineEdit *m_address = nullptr;
    QSpinBox *m_port = nullptr;
    QPushButton *m_applyListener = nullptr;
    QLabel *m_listenerMessage = nullptr;
    QCheckBox *m_autostart = nullptr;
    QCheckBox *m_minimised = nullptr;
};

} // namespace quarry::ui
