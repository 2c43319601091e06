// The Settings page's client keys: create (the key is shown once, then only its fingerprint) and
// revoke, through the same catalog and keychain item as `quarry keys`.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace quarry::ui {

struct UiContext;

class SettingsClientKeys : public QWidget
{
    Q_OBJECT
public:
    explicit SettingsClientKeys(UiContext &context, QWidget *parent = nullptr);

    // Stores a new key in the keychain, then lists it; the key appears in the "new key" field
    // until the page is left or another key is created or revoked.
    void createKey(const QString &name);
    void revokeSelected();
    void reload(); // the list, from client-keys.json (the CLI may have changed it)

    QString shownKey() const; // what the "new key" field holds now (empty once hidden)
    QString message() const;

Q_SIGNALS:
    void keysChanged(); // created or revoked

protected:
    void hideEvent(QHideEvent *event) override;

private:
    void forgetShownKey();
    void say(const QString &text, bool error);

    UiContext &m_context;
    QTreeWidget *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_revoke = nullptr;
    QLineEdit *m_newKey = nullptr;
    QPushButton *m_copy = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace quarry::ui
