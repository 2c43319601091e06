// The console's model field: an editable combo box that says when its list is about to open, so the
// route is asked for its models only when the user looks (each ask is a request in Traffic).
#pragma once

#include <QComboBox>

namespace quarry::ui {

class ModelPicker : public QComboBox
{
    Q_OBJECT
public:
    explicit ModelPicker(QWidget *parent = nullptr);
    void showPopup() override;

Q_SIGNALS:
    void popupAboutToShow();
};

} // namespace quarry::ui
