// The form half of a resource editor: shows one resource's fields, builds the resource back from
// them, and knows which field a manifest path (from a `quarry apply` error) belongs to.
#pragma once

#include "config/Resources.h"
#include "editors/FormChoices.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QWidget>

class QFormLayout;
class QLineEdit;
class QComboBox;
class QSpinBox;

namespace quarry::ui {
class Picker;
}

namespace quarry::ui {

class ResourceForm : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;

    virtual config::ResourceKind kind() const = 0;
    // The resource as the form shows it. Fields the form has no control for are kept from the
    // resource last passed to setResource(), so editing the form never drops them.
    virtual config::Resource resource() const = 0;
    virtual void setResource(const config::Resource &resource) = 0;
    // What "New" starts from.
    virtual config::Resource blank() const = 0;

    // What the pickers list (backends, secrets, ConfigMaps, profiles); refreshed with the store.
    virtual void setChoices(const FormChoices &choices);
    const FormChoices &choices() const { return m_choices; }
    // Warnings only this form knows how to find (e.g. a shadowed route), for the resource as
    // edited; shown with the reference warnings and, like them, never blocking Save.
    virtual QStringList warningsFor(const config::Resource &resource) const;

    // The field an error path belongs to (longest registered prefix), or nullptr.
    QWidget *fieldFor(const QString &path) const;
    // Marks the field the message is about; false when no field matches.
    bool showError(const QString &message);
    void clearErrors();

Q_SIGNALS:
    void edited(); // the user changed a field
    // The user chose "New secret…" on a secret picker: the Credentials page should open with
    // this name filled in.
    void newSecretRequested(const QString &ns, const QString &name);

protected:
    void registerField(const QString &pathPrefix, QWidget *field);
    QLineEdit *addLine(QFormLayout *layout, const QString &label, const QString &path,
                       const QString &placeholder = {});
    QComboBox *addCombo(QFormLayout *layout, const QString &label, const QString &path,
                        const QStringList &items);
    QSpinBox *addPort(QFormLayout *layout, const QString &label, const QString &path);
    Picker *addPicker(QFormLayout *layout, const QString &label, const QString &path,
                      const QString &placeholder = {});
    // Runs fill() with change notifications off, so loading a resource is not an edit.
    template<typename F>
    void loading(F fill)
    {
        const bool was = m_loading;
        m_loading = true;
        fill();
        m_loading = was;
    }
    void notifyEdited();
    // A field whose text is not a value yet (a half-typed duration or JSON): marked until fixed,
    // also across clearErrors(), which is about `quarry apply`'s messages. Empty `problem` clears.
    void setInputProblem(QWidget *field, const QString &problem);

private:
    QList<QPair<QString, QWidget *>> m_fields;
    FormChoices m_choices;
    QHash<QWidget *, QString> m_inputProblems;
    bool m_loading = false;
};

} // namespace quarry::ui
