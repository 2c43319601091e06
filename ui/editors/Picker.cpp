// Editable name picker with an optional "New…" entry.
#include "editors/Picker.h"

#include <QLineEdit>
#include <QSignalBlocker>

namespace quarry::ui {

namespace {
constexpr int kNewRole = Qt::UserRole + 1; // marks the "New…" entry
}

Picker::Picker(const QString &accessibleName, QWidget *parent)
    : QComboBox(parent)
{
    setEditable(true);
    setInsertPolicy(QComboBox::NoInsert); // typing a name does not add it to the list
    // Long names elide rather than widen the window.
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(12);
    setAccessibleName(accessibleName);
    lineEdit()->setAccessibleName(accessibleName);
    connect(lineEdit(), &QLineEdit::textEdited, this, [this](const QString &text) {
        m_lastText = text;
        Q_EMIT edited();
    });
    connect(this, &QComboBox::activated, this, &Picker::onActivated);
}

QString Picker::text() const
{
    return currentText().trimmed();
}

void Picker::setText(const QString &text)
{
    m_lastText = text;
    const QSignalBlocker blocker(this);
    setCurrentIndex(-1);
    setEditText(text);
}

void Picker::setChoices(const QStringList &choices)
{
    if (choices != this->choices())
        rebuild(choices);
}

QStringList Picker::choices() const
{
    QStringList names;
    for (int i = 0; i < count(); ++i) {
        if (!itemData(i, kNewRole).toBool())
            names.append(itemText(i));
    }
    return names;
}

void Picker::setNewEntry(const QString &label)
{
    m_newLabel = label;
    rebuild(choices());
}

void Picker::rebuild(const QStringList &names)
{
    const QString typed = currentText();
    const QSignalBlocker blocker(this);
    clear();
    addItems(names);
    if (!m_newLabel.isEmpty()) {
        addItem(m_newLabel);
        setItemData(count() - 1, true, kNewRole);
    }
    setCurrentIndex(-1);
    setEditText(typed);
}

void Picker::showPopup()
{
    Q_EMIT popupRequested();
    QComboBox::showPopup();
}

void Picker::onActivated(int index)
{
    if (itemData(index, kNewRole).toBool()) {
        const QString typed = m_lastText;
        setText(typed); // the entry is an action, not a name
        Q_EMIT newRequested(typed);
        return;
    }
    m_lastText = itemText(index);
    Q_EMIT edited();
}

} // namespace quarry::ui
