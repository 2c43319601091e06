// An editable combo box for a name: lists what exists (backends, secrets, profiles, models) but
// always takes free text, and may end with a "New…" entry that asks for the thing to be created.
#pragma once

#include <QComboBox>

namespace quarry::ui {

class Picker : public QComboBox
{
    Q_OBJECT
public:
    // The accessible name goes on the combo and its line edit, so a screen reader (and a test)
    // finds the text field by the label the user sees.
    explicit Picker(const QString &accessibleName, QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    // Replaces the listed names; what is typed stays.
    void setChoices(const QStringList &choices);
    QStringList choices() const;
    // Adds (or, with an empty label, removes) the last entry, e.g. "New secret…".
    void setNewEntry(const QString &label);
    void showPopup() override;

Q_SIGNALS:
    void edited();                           // the user typed or picked a name
    void newRequested(const QString &typed); // the user chose the "New…" entry
    void popupRequested(); // the list is about to open: a chance to fill it

private:
    void onActivated(int index);
    void rebuild(const QStringList &names);

    QString m_newLabel;
    QString m_lastText; // before the "New…" entry was chosen: it is put back
};

} // namespace quarry::ui
