// Shared plumbing of the Backends and Routes forms: field registration, edit notification,
// error marking.
#include "editors/ResourceForm.h"

#include "editors/FieldError.h"
#include "editors/Picker.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

using namespace Qt::StringLiterals;

namespace quarry::ui {

void ResourceForm::setChoices(const FormChoices &choices)
{
    m_choices = choices;
}

QStringList ResourceForm::warningsFor(const config::Resource &) const
{
    return {};
}

QWidget *ResourceForm::fieldFor(const QString &path) const
{
    QWidget *best = nullptr;
    qsizetype bestLength = -1;
    for (const auto &[prefix, field] : m_fields) {
        if (FieldError::isUnder(path, prefix) && prefix.size() > bestLength) {
            best = field;
            bestLength = prefix.size();
        }
    }
    return best;
}

bool ResourceForm::showError(const QString &message)
{
    clearErrors();
    const QString path = FieldError::pathIn(message);
    QWidget *field = path.isEmpty() ? nullptr : fieldFor(path);
    if (!field)
        return false;
    FieldError::mark(field, message);
    return true;
}

void ResourceForm::clearErrors()
{
    for (const auto &entry : std::as_const(m_fields))
        FieldError::clear(entry.second);
    for (auto it = m_inputProblems.cbegin(); it != m_inputProblems.cend(); ++it)
        FieldError::mark(it.key(), it.value());
}

void ResourceForm::setInputProblem(QWidget *field, const QString &problem)
{
    if (problem.isEmpty()) {
        if (m_inputProblems.remove(field) > 0)
            FieldError::clear(field);
        return;
    }
    m_inputProblems.insert(field, problem);
    FieldError::mark(field, problem);
}

void ResourceForm::registerField(const QString &pathPrefix, QWidget *field)
{
    m_fields.append({pathPrefix, field});
}

void ResourceForm::notifyEdited()
{
    if (!m_loading)
        Q_EMIT edited();
}

QLineEdit *ResourceForm::addLine(QFormLayout *layout, const QString &label, const QString &path,
                                 const QString &placeholder)
{
    auto *edit = new QLineEdit(this);
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(QString(label).remove(u'&'));
    if (!path.isEmpty())
        registerField(path, edit);
    layout->addRow(label, edit);
    connect(edit, &QLineEdit::textEdited, this, &ResourceForm::notifyEdited);
    return edit;
}

QComboBox *ResourceForm::addCombo(QFormLayout *layout, const QString &label, const QString &path,
                                  const QStringList &items)
{
    auto *combo = new QComboBox(this);
    combo->addItems(items);
    // Long choices ("Secret reference (API key or AWS keys)") elide rather than widen the window.
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(14);
    combo->setAccessibleName(QString(label).remove(u'&'));
    if (!path.isEmpty())
        registerField(path, combo);
    layout->addRow(label, combo);
    connect(combo, &QComboBox::currentIndexChanged, this, &ResourceForm::notifyEdited);
    return combo;
}

QSpinBox *ResourceForm::addPort(QFormLayout *layout, const QString &label, const QString &path)
{
    auto *spin = new QSpinBox(this);
    spin->setRange(0, 65535);
    spin->setSpecialValueText(u"default"_s); // 0 = not set: the endpoint's own port
    spin->setAccessibleName(QString(label).remove(u'&'));
    registerField(path, spin);
    layout->addRow(label, spin);
    connect(spin, &QSpinBox::valueChanged, this, &ResourceForm::notifyEdited);
    return spin;
}

Picker *ResourceForm::addPicker(QFormLayout *layout, const QString &label, const QString &path,
                                const QString &placeholder)
{
    auto *picker = new Picker(QString(label).remove(u'&'), this);
    picker->lineEdit()->setPlaceholderText(placeholder);
    if (!path.isEmpty())
        registerField(path, picker);
    layout->addRow(label, picker);
    connect(picker, &Picker::edited, this, &ResourceForm::notifyEdited);
    return picker;
}

} // namespace quarry::ui
