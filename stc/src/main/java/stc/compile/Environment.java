package stc.compile;

import java.util.List;

/** What a method body can see beyond its own frame: the names its class and the world define. */
interface Environment {
    /** Every instance variable of the method's class (or metaclass), inherited ones first. */
    List<String> instVars();

    /** The class defining class variable {@code name} visible from the method's class, or null. */
    String classVarOwner(String name);

    /** True when {@code name} is a class known to this compilation (defined here or in a referenced module). */
    boolean isClass(String name);

    /**
     * Records a reference to global {@code name} (an import unless defined here) and answers the
     * name the module binds it by: its link name when a SOM class of this compilation shadows a
     * referenced one. May load the class from the SOM class path as a side effect.
     */
    String useGlobal(String name);

    /** Lowercase names that are globals in this dialect (in SOM, every name found nowhere else). */
    boolean isLowercaseGlobal(String name);

    /** True when {@code name} is a SOM global that nothing defines: reading it sends unknownGlobal:. */
    default boolean isUnknownSomGlobal(String name) { return false; }
}
